"""Organisation recognition by pattern, resolved to canonical names through the alias table.

Government bodies: a region (湖南省, 长沙市, 新化县) or a bare 省/市/县 followed by a department name
(教育厅, 发展和改革委员会, 人社局 …) or any short name ending in 厅/局/委员会/办公室. Schools, groups and
enterprises: a name suffix (职业技术学院, 技工学校, 职教集团, 有限公司 …) whose name starts with a region
(Chinese school names do: 湖南工业职业技术学院, 新化县楚怡工业学校), cut on the left at the verbs and
particles that precede names in policy prose (支持, 由, 和, 的 …).
"""

from __future__ import annotations

import re
from functools import cached_property

from ingest.knowledge import KnowledgeBase
from ingest.models import Mention

_HAN = r"\u4e00-\u9fff"
_GOV_SUFFIX = r"(?:委员会|办公室|办公厅|厅|局)"
# Words that never occur inside a department's own name but often right after one.
_NOT_IN_GOV_CORE = re.compile(
    r"会同|联合|支持|负责|牵头|指导|组织|推动|开展|建设|配合|等|各|和省|与|及|的|对|为|向|在|将"
)
# Words after which a name starts (the name cannot include them): verbs and particles of policy prose.
_LEFT_BOUNDARY = re.compile(
    r"支持|推动|鼓励|依托|引导|指导|组织|推进|联合|会同|牵头|确定|认定|遴选|培育|打造|包括|如|由|以|在|和|与|及|同|"
    r"等|的|将|把|对|向|为|是|让|使|被|从|给|或|并|且|其中|位于|入选|成立|组建|举办|开办|设立|设置|落实|要求|"
    r"督促|协调|安排|委托|授权|批准|同意|命名|扶持|帮助|资助|奖励|表彰|面向|覆盖|参与|加入|申报|承办|主办|吸纳|"
    r"吸引|邀请|携手|合作|联手|实施|"
    # verbs of founding, renaming and visiting: 长沙筹办楚怡工业学校 names no school 长沙筹办…
    r"筹办|创办|兴办|筹建|创建|更名为|改名为|更名|升格为|升格|并入|合并|就读于|就读|毕业于|考入|走进|来到|"
    r"参观|调研|视察|走访|前往|深入|赴"
)
_SCHOOL_SUFFIX = (
    r"职业技术学院|职业学院|技师学院|高等专科学校|专科学校|职业技术学校|职业中专学校|职业中等专业学校|"
    r"中等专业学校|中专学校|技工学校|高级技工学校|职业学校|工业学校|学校|学院|大学(?!生)|职业中专"
)
_GROUP_SUFFIX = r"职业教育集团|职教集团|职业教育联盟|职教联盟|产教联盟|产教融合共同体|市域产教联合体|产教联合体"
_ENTERPRISE_SUFFIX = r"集团股份有限公司|集团有限公司|股份有限公司|有限责任公司|有限公司|集团公司|集团(?![有股公])"
# A name made only of these words is a category, not an organisation (公办中等职业学校, 优秀中职学校).
_GENERIC_CORE = re.compile(
    r"^(?:公办|民办|优秀|高水平|示范|重点|骨干|特色|一流|普通|本科|高等|中等|职业|技术|技工|中职|高职|"
    r"专科|相关|有关|各类|各级|全省|全市|本地|当地|农村|城市|企业|行业|产业|教育|学校|院校)*$"
)
_BAD_IN_NAME = re.compile(r"[各所个批等内全本该每和与及的]|\d")


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True) if w)


class OrgRecogniser:
    """Finds organisation mentions in text. Builds its patterns from a KnowledgeBase; no I/O."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self._kb = kb

    # --- patterns, compiled once on first use --------------------------------------------------
    @cached_property
    def _full_regions(self) -> str:
        return _alternation([r.name for r in self._kb.regions if r.level != "国家"])

    @cached_property
    def _any_region(self) -> re.Pattern[str]:
        names = [r.name for r in self._kb.regions if r.level != "国家"] + list(self._kb.region_short_forms)
        return re.compile(_alternation(names) or "(?!x)x")  # no regions: a pattern that never matches

    @cached_property
    def _known(self) -> re.Pattern[str] | None:
        words = list(self._kb.alias_map)
        return re.compile(_alternation(words)) if words else None

    @cached_property
    def _gov_regional(self) -> re.Pattern[str] | None:
        if not self._full_regions:
            return None
        depts = _alternation(list(self._kb.department_map))
        body = f"(?:{depts}|[{_HAN}]{{2,10}}?{_GOV_SUFFIX})" if depts else f"[{_HAN}]{{2,10}}?{_GOV_SUFFIX}"
        return re.compile(f"(?P<region>(?:{self._full_regions})+)(?P<dept>{body})")

    @cached_property
    def _gov_bare(self) -> re.Pattern[str] | None:
        depts = _alternation(list(self._kb.department_map))
        if not depts:
            return None
        return re.compile(f"(?<![各全本该每级地州市县区省乡镇、关属])(?P<level>[省市县区州])(?P<dept>{depts})")

    _named = re.compile(
        f"(?P<suffix>{_GROUP_SUFFIX})|(?P<school>{_SCHOOL_SUFFIX})|(?P<enterprise>{_ENTERPRISE_SUFFIX})"
    )

    # --- recognition -------------------------------------------------------------------------
    def find(self, text: str, doc_region: str | None = None) -> list[Mention]:
        candidates: list[Mention] = []
        if self._known is not None:
            for m in self._known.finditer(text):
                if m.group().endswith("部") and text.startswith("门", m.end()):
                    continue  # 民政部门, 农业农村部门: the departments of every level, not the ministry
                row = self._kb.alias_map[m.group()]
                candidates.append(
                    Mention(label="Organization", surface=m.group(), canonical=row.canonical, start=m.start(),
                            end=m.end(), kind=row.kind, region=row.region)
                )  # fmt: skip
        candidates.extend(self._find_government(text, doc_region))
        candidates.extend(self._find_named(text, candidates))
        return _leftmost_longest(candidates)

    def _find_government(self, text: str, doc_region: str | None) -> list[Mention]:
        out: list[Mention] = []
        for m in self._gov_regional.finditer(text) if self._gov_regional is not None else ():
            region = self._last_region(m.group("region"))
            dept = m.group("dept")
            if dept not in self._kb.department_map and _NOT_IN_GOV_CORE.search(dept):
                continue
            out.append(self._gov_mention(m.group(), region, dept, m.start(), m.end()))
        if self._gov_bare is not None:
            for m in self._gov_bare.finditer(text):
                resolved = self._resolve_bare(m.group("level"), doc_region)
                if resolved is not None:
                    out.append(self._gov_mention(m.group(), resolved, m.group("dept"), m.start(), m.end()))
        return out

    def _gov_mention(self, surface: str, region: str, dept: str, start: int, end: int) -> Mention:
        canonical = region + self._kb.department_map.get(dept, dept)
        row = self._kb.alias_map.get(canonical)
        if row is not None:
            canonical = row.canonical
        return Mention(label="Organization", surface=surface, canonical=canonical, start=start, end=end,
                       kind="government", region=region)  # fmt: skip

    def _last_region(self, regions: str) -> str:
        found = [m.group() for m in re.finditer(self._full_regions, regions)]
        return found[-1] if found else regions

    def _resolve_bare(self, level: str, doc_region: str | None) -> str | None:
        """省 means the document's province; 市/县/区 only when the document speaks for such a region."""
        if doc_region is None:
            return None
        row = self._kb.region_by_name.get(doc_region)
        if level == "省":
            return self._kb.province_of(doc_region) or (doc_region if doc_region.endswith("省") else None)
        if row is None:
            return None
        wanted = {"市": ("地级",), "州": ("地级",), "县": ("县级",), "区": ("县级",)}[level]
        return doc_region if row.level in wanted and doc_region.endswith(level) else None

    def _find_named(self, text: str, taken: list[Mention]) -> list[Mention]:
        out: list[Mention] = []
        for m in self._named.finditer(text):
            kind = "group" if m.group("suffix") else "school" if m.group("school") else "enterprise"
            starts = self._name_start(text, m.start(), taken)
            if starts is None:
                continue
            window_start, region_start = starts
            # Schools and groups are named after their place; an enterprise keeps its whole name
            # (中车株洲电力机车有限公司 has a place inside it).
            start = window_start if kind == "enterprise" or region_start is None else region_start
            name = text[start : m.end()]
            region_m = self._any_region.match(name)
            while region_m is not None and (nxt := self._any_region.match(name, region_m.end())) is not None:
                region_m = nxt  # 湖南省长沙市望城区… lives in the most specific region
            if region_m is None:
                if kind != "enterprise" or m.start() - start < 2:
                    continue
                region: str | None = None
                core = name[: m.start() - start]
            else:
                region = self._kb.region_short_forms.get(region_m.group(), region_m.group())
                core = name[region_m.end() : m.start() - start]
            if _BAD_IN_NAME.search(core) or (kind != "enterprise" and _GENERIC_CORE.match(core) and
                                              m.group() in ("学校", "学院", "职业学校")):
                continue
            if kind == "enterprise" and _GENERIC_CORE.match(core):
                continue
            if region_m is not None and name[region_m.end() :] in self._kb.programme_alias_map:
                continue  # 湖南省楚怡高水平高职学校 is the programme 楚怡高水平高职院校 in a province, not a school
            row = self._kb.alias_map.get(name)
            out.append(
                Mention(label="Organization", surface=name, canonical=row.canonical if row else name, start=start,
                        end=m.end(), kind=row.kind if row else kind, region=row.region if row else region)
            )  # fmt: skip
        return out

    def _name_start(self, text: str, suffix_start: int, taken: list[Mention]) -> tuple[int, int | None] | None:
        """Where the name ending at `suffix_start` may begin: (after the last boundary word, at the first
        region name after it); None when nothing is left before the suffix."""
        floor = max(0, suffix_start - 24)
        for t in taken:  # never reach back into another organisation's name
            if t.end <= suffix_start and t.end > floor:
                floor = t.end
        i = suffix_start
        while i > floor and re.match(f"[{_HAN}]", text[i - 1]):
            i -= 1
        window = text[i:suffix_start]
        cut = 0
        for b in _LEFT_BOUNDARY.finditer(window):
            cut = b.end()
        window_start = i + cut
        region = self._any_region.search(text, window_start, suffix_start)
        if region is not None:
            return window_start, region.start()
        # Without a region only an enterprise name is believable (三一重工股份有限公司).
        return (window_start, None) if suffix_start - window_start >= 2 else None


def _leftmost_longest(candidates: list[Mention]) -> list[Mention]:
    chosen: list[Mention] = []
    for c in sorted(candidates, key=lambda m: (m.start, -(m.end - m.start))):
        if chosen and c.start < chosen[-1].end:
            continue
        chosen.append(c)
    return chosen
