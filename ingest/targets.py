"""Quantitative targets: verb + number + unit + the thing counted (遴选建设10所“楚怡”高水平高职院校).

Rules, not a model: a target starts with a construction verb right before a number (Arabic or Chinese)
and a counting unit; the counted object is the programme named in the rest of the clause when there is
one (after the last 的 when a long modifier precedes it), else the noun phrase there. A count followed by
各 (14个市州各…) is the scope of the next target, not a target itself.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from graph.text import sentence_bounds, strip_quotes
from ingest.models import Mention

_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}


def chinese_number(text: str) -> int | None:
    """二十 → 20, 一百二十 → 120, 三 → 3; None when `text` is not a plain Chinese numeral."""
    if not text or any(c not in _CN_DIGITS and c not in _CN_UNITS for c in text):
        return None
    total, current = 0, 0
    for c in text:
        if c in _CN_DIGITS:
            current = _CN_DIGITS[c]
        else:
            unit = _CN_UNITS[c]
            total += (current or 1) * unit
            current = 0
    return total + current


VERBS = (
    "遴选建设|培育建设|支持建设|重点建设|立项建设|认定建设|打造建设|新建改扩建|改扩建|新建|扩建|建设|遴选认定|遴选|培育|"
    "打造|认定|评选|评定|重点办好|办好|创建|建成|组建|开发|培养|培训|新增|达到|立项|扶持|资助|奖励|举办|开设|设立|"
    "布局|推出|建立|引进|招收|增加|支持|命名|授予|表彰|选树|培植|孵化|发布"
)
UNITS = "个|所|家|项|门|支|名|人次|人|本|套|部|类|条|种|处|座|场|期|万人次|万人|万名|亿元|万元|元|%|倍"
_NUM = r"\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万]+"
_TARGET = re.compile(
    rf"(?P<verb>{VERBS})(?P<fill>[再共约新各累计]{{0,2}})(?P<num>{_NUM})(?P<qual1>余|多)?(?P<unit>{UNITS})"
    rf"(?P<qual2>以上|左右|以内|及以上)?"
)
_CLAUSE_END = re.compile(r"[，,。；;！？!?：:]")
_SCOPE_AFTER_COUNT = re.compile(r"^(?P<noun>[\u4e00-\u9fff]{1,5}?)各")
_SCOPE = re.compile(
    r"(?P<scope>全省|全市|全州|全县|全区|全国|\d+个(?:市州|县市区|市|县|区|地)各?|"
    r"各(?:市州|县市区|县（市、区）|县区|市县|区县|地|职业院校|高职院校|中职学校|学校|院校|市|县|区|州)|"
    r"每(?:个|所|家)?(?:市州|县市区|县|市|区|学校|院校|专业群|专业|校|年))"
)
_DEADLINE = re.compile(
    r"(?:到|至|于|在|力争到|力争)?(?P<year>20\d{2})年(?P<tail>底|前|末|年底|以前)?|(?P<plan>“?十[四五六]五”?(?:期间|末))"
)
_OBJECT_STOP = re.compile(r"[，,。；;！？!?：:（(]|并|和|以及|与|，")


class TargetDraft(BaseModel):
    quantity: int
    unit: str
    object: str
    verb: str
    scope: str | None = None
    deadline: str | None = None
    qualifier: str | None = None
    text: str
    programme: str | None = None  # canonical programme name when the object is one
    start: int
    end: int


def _quantity(raw: str) -> int | None:
    if raw[0].isdigit():
        return int(float(raw))
    return chinese_number(raw)


def _clause_start(text: str, pos: int) -> int:
    starts = [m.end() for m in _CLAUSE_END.finditer(text, 0, pos)]
    return starts[-1] if starts else 0


def _deadline(text: str, pos: int) -> str | None:
    s, e = sentence_bounds(text, pos)
    for m in _DEADLINE.finditer(text, s, e):
        if m.group("plan"):
            return m.group("plan").replace("“", "").replace("”", "")
        return f"{m.group('year')}年{m.group('tail') or ''}"
    lead = _DEADLINE.match(text)  # a passage opening with 到2025年， sets the horizon for all it lists
    if lead and lead.group("year"):
        return f"{lead.group('year')}年{lead.group('tail') or ''}"
    return None


def _object_phrase(rest: str) -> str:
    """The counted noun phrase: after the last 的 of the clause, up to a stop word, quotes removed."""
    clause = _CLAUSE_END.split(rest, maxsplit=1)[0]
    head = clause.rsplit("的", 1)[-1]
    head = _OBJECT_STOP.split(head, maxsplit=1)[0]
    return strip_quotes(head)[:24]


def find_targets(text: str, programmes: list[Mention]) -> list[TargetDraft]:
    out: list[TargetDraft] = []
    for m in _TARGET.finditer(text):
        quantity = _quantity(m.group("num"))
        if quantity is None:
            continue
        after = text[m.end() :]
        if _SCOPE_AFTER_COUNT.match(after):
            continue  # 支持14个市州各… — a scope, the target follows
        if m.group("num") == "一" and m.group("unit") == "个" and not m.group("fill"):
            continue  # 建设一个…体系: the indefinite article, not a count
        clause_end = _CLAUSE_END.search(text, m.end())
        end_limit = clause_end.start() if clause_end else len(text)
        # The programme counted: the first programme after the last 的 (or right after the unit).
        in_clause = [p for p in programmes if m.end() <= p.start < end_limit]
        last_de = text.rfind("的", m.end(), in_clause[0].start if in_clause else end_limit)
        prog = next((p for p in in_clause if p.start > last_de), None) if in_clause else None
        if prog is not None:
            obj, obj_end, programme = prog.canonical, prog.end, prog.canonical
        else:
            obj = _object_phrase(after)
            obj_end = m.end() + after.find(obj[-1]) + 1 if obj and obj[-1] in after else m.end()
            programme = None
            if m.group("unit") in ("%", "倍") or not obj:
                obj = _subject_before(text, m.start()) or obj
        if not obj:
            continue
        clause_start = _clause_start(text, m.start())
        scope_m = None
        for s in _SCOPE.finditer(text, clause_start, m.start()):
            scope_m = s
        qualifier = m.group("qual1") or m.group("qual2")
        out.append(
            TargetDraft(
                quantity=quantity,
                unit=m.group("unit"),
                object=obj,
                verb=m.group("verb"),
                scope=scope_m.group("scope") if scope_m else None,
                deadline=_deadline(text, m.start()),
                qualifier=qualifier,
                text=text[scope_m.start() if scope_m else m.start() : max(obj_end, m.end())],
                programme=programme,
                start=m.start(),
                end=max(obj_end, m.end()),
            )
        )
    return out


def _subject_before(text: str, pos: int) -> str:
    """For rates (就业率达到95%), the counted thing is what comes before the verb in the clause."""
    clause = text[_clause_start(text, pos) : pos]
    return strip_quotes(clause)[-12:]
