"""Reported results: counts a text gives as done (2022年遴选30所…, 共有30所学校入选, 涵盖20所…建设单位),
kept apart from the targets a plan sets (到2025年遴选建设10所…, ingest/targets.py).

A count is a result when its sentence says the thing happened — a list was published (名单, 公布, 公示,
遴选结果), schools were selected (入选, 获批, 被认定为, 评出), a total is reported (共有, 累计, 已) — and its
own clause does not look ahead (到2025年, 力争, 计划, 拟, 将). Its year is the year the sentence names
(2022年认定…, not a deadline 到2025年), else the year of the document.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from ingest.models import Mention
from ingest.targets import UNITS, chinese_number

_NUM = r"\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+"
_COUNT = re.compile(
    rf"(?<![\d.第零〇一二两三四五六七八九十百千])(?P<num>{_NUM})(?P<qual>余|多)?(?P<unit>{UNITS})(?![年月日号届次])"
)
_REALISED = re.compile(
    r"入选|获批|上榜|名单|公布|公示|遴选结果|评审结果|结果出炉|出炉|揭晓|共有|共计|累计|已经|已|首批|第一批|第二批|"
    r"获评|通过认定|通过验收|被认定|被评为|被确定为|评出|选出|认定了|遴选了|确定了|立项了|授牌"
)
_AHEAD = re.compile(r"到20\d{2}年|至20\d{2}年|力争|计划|拟|将|预计|争取|目标|规划|要求|确保|每年")
_YEAR = re.compile(r"(?<![到至])(?P<year>20\d{2})年(?!底|前|末)")
_DEADLINE_YEAR = re.compile(r"[到至]20\d{2}年")
_SENTENCE = re.compile(r"[^。！？!?；;]+[。！？!?；;]?")
_CLAUSE_SPLIT = re.compile(r"[，,：:、]")
_OBJECT_END = re.compile(r"[，,。；;！？!?：:、（(……]|和|及|以及|与|等|入选|获批|上榜|被|通过|成功|为")
# 2022年认定…: a selection verb after a year that is no deadline reports what was done that year.
_DATED_SELECTION = re.compile(
    r"(?<![到至])20\d{2}年(?:\d{1,2}月)?(?:[^，。；]{0,6})?(?:认定|遴选|评选|确定|立项|批准|命名|评出|选出)"
)
# Counts of these are parts of a name or a duration, never a reported result (教育部等九部门, 3年).
_NOT_OBJECT = re.compile(r"^(?:部门|门类|年|个月|周|天|次会议|届)")
_SCOPE_AFTER_COUNT = re.compile(r"^[\u4e00-\u9fff]{1,5}?各")
_MAX_OBJECT = 24


class ResultDraft(BaseModel):
    quantity: int
    unit: str
    object: str
    year: int | None = None
    qualifier: str | None = None
    text: str  # the sentence that reports it
    programme: str | None = None
    start: int
    end: int


def _quantity(raw: str) -> int | None:
    return int(float(raw)) if raw[0].isdigit() else chinese_number(raw)


def find_results(text: str, programmes: list[Mention], doc_year: int | None) -> list[ResultDraft]:
    out: list[ResultDraft] = []
    previous = ""
    for sent in _SENTENCE.finditer(text):
        sentence = sent.group()
        # A headline sentence (湖南公布一批名单！) may carry the marker and the year for the list after it.
        context, previous = previous + sentence, sentence
        if not (_REALISED.search(context) or _DATED_SELECTION.search(context)):
            continue
        year_m = _YEAR.search(_DEADLINE_YEAR.sub("", context))
        year = int(year_m.group("year")) if year_m else doc_year
        for m in _COUNT.finditer(sentence):
            quantity = _quantity(m.group("num"))
            after = sentence[m.end() :]
            if quantity is None or _NOT_OBJECT.match(after) or _SCOPE_AFTER_COUNT.match(after):
                continue  # 14个市州各…: the scope of the count that follows
            clause_start = max((c.end() for c in _CLAUSE_SPLIT.finditer(sentence, 0, m.start())), default=0)
            if _AHEAD.search(sentence[clause_start : m.start()]):
                continue  # 到2025年遴选建设10所 — a target the sentence mentions
            start, end = sent.start() + m.start(), sent.start() + m.end()
            prog = next((p for p in programmes if end <= p.start <= end + 2), None)
            if prog is not None:
                obj, programme, end = prog.canonical, prog.canonical, max(end, prog.end)
            else:
                stop = _OBJECT_END.search(after)
                obj = re.sub("[“”\"「」『』]", "", after[: stop.start() if stop else len(after)])[:_MAX_OBJECT]
                obj = obj or _object_before(sentence[clause_start : m.start()])
                programme = None
                end += len(obj)
            if not obj:
                continue
            out.append(ResultDraft(quantity=quantity, unit=m.group("unit"), object=obj, year=year,
                                   qualifier=m.group("qual"), text=sentence.strip(), programme=programme,
                                   start=start, end=end))  # fmt: skip
    return out


def _object_before(clause: str) -> str:
    """认定楚怡产教融合实训基地30个: the counted thing stands before the number, after the verb."""
    plain = re.sub("[“”\"「」『』]", "", clause)
    verb = list(re.finditer(r"遴选|认定|评选|确定|公布|立项|批准|命名|建设|入选|共有|共", plain))
    return plain[verb[-1].end() :][-_MAX_OBJECT:] if verb else ""
