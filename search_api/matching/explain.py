"""Scored candidates → API results: a one-line `reason` in plain Chinese (reasons.py), the technical `why`,
the evidence it names and the signals with their Chinese names."""

from __future__ import annotations

from search_api.matching.forward import IndustryQuery, ScoredSpecialty
from search_api.matching.index import ChainItem, ReferenceIndex
from search_api.matching.reasons import chain_reason, industry_reason, specialty_reason
from search_api.matching.reverse import ScoredIndustry, path_of
from search_api.matching.schemas import (
    EVIDENCE_NAMES,
    SIGNAL_NAMES,
    CrosswalkRow,
    MatchEvidence,
    MatchResult,
    SignalOut,
    Signals,
)
from search_api.matching.signals import FORWARD_WEIGHTS, REVERSE_WEIGHTS, TEXT_WEIGHTS, Scored, Weights

# A signal is named in `why` only when it carried at least this much.
_SHOWN = 0.3


def _evidence(scored: Scored, target_name: str) -> list[MatchEvidence]:
    out: list[MatchEvidence] = []
    hit = scored.crosswalk_hit
    if hit is not None and scored.crosswalk > 0:
        row = f"{hit.class_name}({hit.class_code})→{hit.industry_code} {hit.industry_name}"
        link = "" if hit.via_code == hit.industry_code else f"，对应{hit.via_code} {hit.via_name}"
        out.append(
            MatchEvidence(
                kind="crosswalk",
                text=f"专业类对照：{row}（{hit.role}：{hit.reason}）{link}",
                ref=f"crosswalk:{hit.class_name}:{hit.industry_code}",
                value=round(scored.crosswalk, 3),
                row=CrosswalkRow(**hit.model_dump(exclude={"overlap"}), direct=hit.overlap >= 1.0),
            )
        )
    if scored.name >= _SHOWN:
        out.append(
            MatchEvidence(
                kind="similarity",
                text=f"名称语义相似度 {scored.name_cosine:.2f}（与“{target_name}”）",
                value=scored.name_cosine,
            )
        )
    if scored.industry >= _SHOWN and scored.best_industry:
        out.append(
            MatchEvidence(
                kind="similarity",
                text=f"与行业“{scored.best_industry}”语义相似度 {scored.industry_cosine:.2f}",
                ref=scored.best_industry.split(" ")[0],
                value=scored.industry_cosine,
            )
        )
    if scored.description >= _SHOWN and scored.best_phrase:
        out.append(
            MatchEvidence(
                kind="similarity",
                text=f"与产业链产品/环节“{scored.best_phrase}”相近",
                value=round(scored.description, 3),
            )
        )
    if scored.lexical > 0:
        out.append(MatchEvidence(kind="lexical", text=f"名称直接包含“{target_name}”相关词"))
    for pid in scored.passages[:5]:
        out.append(MatchEvidence(kind="passage", text="政策原文同时提到两者", ref=pid, passage_id=pid))
    for e in out:
        e.label = EVIDENCE_NAMES[e.kind]
    return out


def why_line(evidence: list[MatchEvidence], passages: int) -> str:
    parts = [e.text for e in evidence if e.kind != "passage"]
    if passages:
        ids = ", ".join(e.ref or "" for e in evidence if e.kind == "passage")
        parts.append(f"{passages} 段政策原文同时提到（{ids}）")
    return "；".join(parts) if parts else "仅弱语义相似"


def _signal_list(scored: Scored, weights: Weights) -> list[SignalOut]:
    """The signals this direction weighs, in Chinese, strongest contribution first."""
    out = [
        SignalOut(signal=name, label=SIGNAL_NAMES[name], value=round(getattr(scored, name), 4), weight=weight)  # type: ignore[arg-type]
        for name, weight in weights.items()
        if weight > 0
    ]
    return sorted(out, key=lambda x: -x.value * x.weight)


def _signals(scored: Scored) -> Signals:
    return Signals(
        crosswalk=round(scored.crosswalk, 4),
        name=round(scored.name, 4),
        industry=round(scored.industry, 4),
        description=round(scored.description, 4),
        lexical=scored.lexical,
        evidence=scored.evidence,
    )


def specialty_result(scored: ScoredSpecialty, target: IndustryQuery, rank: int) -> MatchResult:
    s = scored.specialty
    evidence = _evidence(scored, target.name)
    return MatchResult(
        code=s.code,
        name=s.name,
        level=s.level,
        score=scored.score,
        reason=specialty_reason(scored, target),
        why=why_line(evidence, len(scored.passages)),
        kind="specialty",
        id=s.id,
        rank=rank,
        category=f"{s.category_name} / {s.class_name}",
        evidence=evidence,
        signals=_signals(scored),
        signal_list=_signal_list(scored, TEXT_WEIGHTS if target.kind == "text" else FORWARD_WEIGHTS),
    )


def industry_result(index: ReferenceIndex, scored: ScoredIndustry, specialty_name: str, rank: int) -> MatchResult:
    ind = scored.item
    evidence = _evidence(scored, ind.name)
    # In the reverse direction the similarity is between the 专业 and this industry's own name.
    for e in evidence:
        if e.kind == "similarity":
            e.text = f"“{specialty_name}”与“{ind.name}”语义相似度 {scored.name_cosine:.2f}"
    path = path_of(index, ind.code)
    return MatchResult(
        code=ind.code,
        name=ind.name,
        level=ind.level,
        score=scored.score,
        reason=industry_reason(scored, specialty_name),
        why=why_line(evidence, len(scored.passages)),
        kind="industry",
        id=ind.id,
        rank=rank,
        category=" > ".join(f"{c} {n}" for c, n in zip(path.codes, path.names, strict=True)),
        evidence=evidence,
        signals=_signals(scored),
        signal_list=_signal_list(scored, REVERSE_WEIGHTS),
    )


def chain_result(chain: ChainItem, scored: ScoredSpecialty, place: int, of: int, rank: int) -> MatchResult:
    """A chain in the reverse list: the specialty's score in that chain's own ranking."""
    evidence = _evidence(scored, chain.name)
    evidence.append(
        MatchEvidence(
            kind="chain",
            text=f"在“{chain.name}”的{scored.specialty.level}专业中排第 {place}/{of}",
            ref=chain.id,
            value=float(place),
            label=EVIDENCE_NAMES["chain"],
        )
    )
    return MatchResult(
        code=chain.id,
        name=chain.name,
        level="产业链",
        score=scored.score,
        reason=chain_reason(scored, chain.name, place),
        why=why_line(evidence, len(scored.passages)),
        kind="chain",
        id=chain.id,
        rank=rank,
        category=chain.region or None,
        evidence=evidence,
        signals=_signals(scored),
        signal_list=_signal_list(scored, FORWARD_WEIGHTS),
    )
