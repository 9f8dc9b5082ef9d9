"""楚怡 programme recognition: “楚怡”X where X ends in a programme word (基地, 院校, 专业群, 职教集团 …).

Quotes around 楚怡 vary (“楚怡”, "楚怡", 「楚怡」 or none), so matching runs on a quote-free view of the
text and maps spans back. Canonical names carry the 楚怡 prefix without quotes; known aliases (the
programme table, and parentheticals such as 文化传承基地（“楚怡”职业教育文化馆）) resolve to them.
"""

from __future__ import annotations

import itertools
import re
from functools import cached_property

from graph.text import QUOTES
from ingest.knowledge import KnowledgeBase
from ingest.models import Mention

_SUFFIX = (
    r"实训基地|文化传承基地|基地|院校|学校|学院|专业群|职教集团|集团|联盟|智库|工作室|大讲堂|讲堂|论坛|文化馆|馆|"
    r"杯|团队|名师|工匠|大师|传承人|校长|项目|计划|工程|中心|大赛|竞赛|课程|教材|示范校|示范区|园区|共同体|研究院|班"
)
_BODY = r"[\u4e00-\u9fff（）()]{0,12}?"
_PATTERN = re.compile(f"楚怡(?P<body>{_BODY})(?P<suffix>{_SUFFIX})")
# A body with these is prose that happens to follow 楚怡, not a programme's name.
_NOT_A_NAME = re.compile(r"行动|精神|任务|品牌|效应|纳入|推进|实施|重点|进一步|[的和与及等为是在将把对向了，、。]")


def quote_free(text: str) -> tuple[str, list[int]]:
    """The text without quote marks, and for each kept character its offset in the original."""
    kept: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        if ch not in QUOTES:
            kept.append(ch)
            offsets.append(i)
    return "".join(kept), offsets


class ProgrammeRecogniser:
    def __init__(self, kb: KnowledgeBase) -> None:
        self._kb = kb

    @cached_property
    def _known(self) -> re.Pattern[str] | None:
        forms = sorted(self._kb.programme_alias_map, key=len, reverse=True)
        return re.compile("|".join(re.escape(f) for f in forms)) if forms else None

    def canonical(self, name: str, doc_aliases: dict[str, str] | None = None) -> str:
        name = name.replace("(", "（").replace(")", "）")
        name = re.sub(r"（[^）]*）$", "", name)  # 职教集团（联盟） → 职教集团
        if doc_aliases and name in doc_aliases:
            return doc_aliases[name]
        return self._kb.programme_alias_map.get(name, name)

    def find(
        self,
        text: str,
        taken: list[Mention],
        doc_aliases: dict[str, str] | None = None,
        short_forms: dict[str, str] | None = None,
    ) -> list[Mention]:
        """Programme mentions outside the spans in `taken` (organisations: 新化县楚怡工业学校 is a school)."""
        view, offsets = quote_free(text)
        blocked = [(t.start, t.end) for t in taken]

        def free(start: int, end: int) -> bool:
            return all(end <= a or start >= b for a, b in blocked)

        found: list[Mention] = []

        def add(view_start: int, view_end: int, name: str) -> None:
            start, end = offsets[view_start], offsets[view_end - 1] + 1
            if free(start, end) and all(end <= m.start or start >= m.end for m in found):
                canonical = self.canonical(name, doc_aliases)
                found.append(Mention(label="Programme", surface=text[start:end], canonical=canonical,
                                     start=start, end=end))  # fmt: skip

        if self._known is not None:
            for m in self._known.finditer(view):
                add(m.start(), m.end(), m.group())
        for m in _PATTERN.finditer(view):
            if _NOT_A_NAME.search(m.group("body")):
                continue
            add(m.start(), m.end(), m.group())
        # Later mentions often drop the prefix (文化传承基地 after “楚怡”文化传承基地 was introduced).
        if short_forms:
            pattern = re.compile("|".join(re.escape(s) for s in sorted(short_forms, key=len, reverse=True)))
            for m in pattern.finditer(view):
                if m.start() >= 2 and view[m.start() - 2 : m.start()] == "楚怡":
                    continue
                add(m.start(), m.end(), short_forms[m.group()])
        return sorted(found, key=lambda x: x.start)

    def parenthetical_aliases(self, text: str, mentions: list[Mention]) -> dict[str, str]:
        """X（Y） with both programmes: Y is another name of X (文化传承基地（职业教育文化馆））."""
        out: dict[str, str] = {}
        for a, b in itertools.pairwise(mentions):
            between = text[a.end : b.start]
            after = text[b.end : b.end + 2]
            if between.strip(QUOTES) in ("（", "(") and after[:1] in "）)" + QUOTES:
                out[b.canonical] = a.canonical
        return out
