"""Questions about chains and 专业, answered by matching: which 专业 an industry or chain needs
(工程机械产业链需要哪些专业？) and which industries and chains a 专业 serves (数控技术对应哪些产业？).

The words asked about are the industry or 专业 the question names (found by the gazetteer), else the words
before the asking phrase, resolved the way the matching API resolves them. The answer lists the best few
in a sentence, cites the policy passages matching found for them, and links the matching view that shows
the whole ranking. None when matching cannot resolve the words (the caller then answers from the text).
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from search_api.ask.answers import wording
from search_api.ask.intent import asks_match, level_named
from search_api.ask.linking import LinkedName, squash
from search_api.ask.schemas import Fact, MatchLink, NodeRef
from search_api.matching.errors import ReferenceNotLoaded, UnknownIndustry, UnknownSpecialty
from search_api.matching.schemas import (
    MatchIndustriesRequest,
    MatchResult,
    MatchSpecialtiesRequest,
    SpecialtyLevelIn,
)
from search_api.matching.service import MatchService

NAMED = 8  # 专业 named in a forward answer
NAMED_REVERSE = 5  # chains, and industries, named in a reverse answer
# Where the asking phrase starts: the words before it are what is asked about.
_ASKING = re.compile(
    r"(需要|需求|要|对应|对接|匹配|适合|相关|服务|配套|开设|设置|能去|可以去|能进|能做|就业|毕业|对口|有哪些|有什么|的专业)"
)
_LEAD = re.compile(r"^(请问|想问|我想知道|你好|请告诉我|湖南省?的?|学)+")
_TAIL = re.compile(r"(专业|的)+$")
_JOINED = re.compile(r"与|和|及|、")
_LEVEL_WORDS = re.compile(r"中职|中专|中等职业|职业本科|本科|高职专科|高职|专科|大专")


class MatchAnswer(BaseModel):
    text: str
    facts: list[Fact] = Field(default_factory=list)
    evidence: list[str] = Field(default_factory=list)  # passage ids, most important first
    link: MatchLink


def _asked_words(question: str, names: list[LinkedName], labels: tuple[str, ...]) -> list[str]:
    """What the question asks about, best guess first: the entities of those labels it names, then the
    words before the asking phrase."""
    out = [m.name for m in names if m.node.label in labels]
    q = _LEVEL_WORDS.sub("", squash(question))
    head = _ASKING.split(q, maxsplit=1)[0]
    head = _TAIL.sub("", _LEAD.sub("", head))
    if len(head) >= 2:
        # A compound (现代种业与粮食生产) is asked about whole, before the one part the gazetteer found.
        if _JOINED.search(head):
            out.insert(0, head)
        else:
            out.append(head)
    return list(dict.fromkeys(out))


def _passages(results: list[MatchResult]) -> list[str]:
    return list(
        dict.fromkeys(e.passage_id for r in results for e in r.evidence if e.kind == "passage" and e.passage_id)
    )


def _level_text(level: str | None) -> str:
    return f"（{level}）" if level else ""


def answer(matching: MatchService, question: str, names: list[LinkedName]) -> MatchAnswer | None:
    labels = [m.node.label for m in names]
    direction = asks_match(question, labels)
    level = level_named(question)
    try:
        if direction == "specialties":
            return _specialties(matching, question, names, level)
        if direction == "industries":
            return _industries(matching, question, names, level)
    except ReferenceNotLoaded:
        return None
    return None


def _specialties(
    matching: MatchService, question: str, names: list[LinkedName], level: SpecialtyLevelIn | None
) -> MatchAnswer | None:
    for words in _asked_words(question, names, ("IndustryChain", "Industry")):
        try:
            found = matching.specialties(MatchSpecialtiesRequest(industry=words, level=level, top_k=NAMED * 3))
        except UnknownIndustry:
            continue
        picked: list[MatchResult] = []
        for r in found.results:
            if r.name not in {p.name for p in picked}:
                picked.append(r)
        picked = picked[:NAMED]
        if not picked:
            continue
        subject = found.target.name + ("产业链" if found.target.kind == "chain" else "")
        text = (
            f"{subject}需要的专业{_level_text(level)}主要有：{wording.join([r.name for r in picked])}。"
            f"排在首位的{picked[0].name}：{picked[0].reason}。完整的排序和每个专业的理由见“专业匹配”页。"
        )
        target = NodeRef(id=found.target.id or found.target.name, label=_label(found.target.kind), name=subject)
        facts = [Fact(subject=_spec_ref(r), predicate="SERVES", object=target, evidence=_passages([r])) for r in picked]
        link = MatchLink(direction="specialties", query=found.target.name, level=level)
        return MatchAnswer(text=text, facts=facts, evidence=_passages(picked), link=link)
    return None


def _industries(
    matching: MatchService, question: str, names: list[LinkedName], level: SpecialtyLevelIn | None
) -> MatchAnswer | None:
    for words in _asked_words(question, names, ("Specialty",)):
        try:
            found = matching.industries(MatchIndustriesRequest(specialty=words, level=level, top_k=40))
        except UnknownSpecialty:
            continue
        chains = [r for r in found.results if r.kind == "chain"][:NAMED_REVERSE]
        industries = [r for r in found.results if r.kind == "industry"][:NAMED_REVERSE]
        if not chains and not industries:
            continue
        spec = found.target.name
        parts = []
        if chains:
            parts.append(f"对接的湖南产业链主要有{wording.join([c.name for c in chains])}")
        if industries:
            parts.append(f"对应的行业主要有{wording.join([i.name for i in industries])}")
        best = (chains or industries)[0]
        text = (
            f"{spec}专业{_level_text(level)}{'；'.join(parts)}。{best.name}：{best.reason}。"
            "完整的排序和理由见“专业匹配”页。"
        )
        subject = NodeRef(id=found.target.id or spec, label="Specialty", name=spec)
        facts = [
            Fact(
                subject=subject,
                predicate="SERVES",
                object=NodeRef(id=r.id, label=_label(r.kind), name=r.name),
                evidence=_passages([r]),
            )
            for r in chains + industries
        ]
        link = MatchLink(direction="industries", query=spec, level=level)
        return MatchAnswer(text=text, facts=facts, evidence=_passages(chains + industries), link=link)
    return None


def _label(kind: str) -> str:
    return {"chain": "IndustryChain", "industry": "Industry", "specialty": "Specialty"}.get(kind, "Industry")


def _spec_ref(r: MatchResult) -> NodeRef:
    return NodeRef(id=r.id, label="Specialty", name=f"{r.name}（{r.level}）")
