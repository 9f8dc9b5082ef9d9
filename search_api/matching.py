"""Specialty ↔ industry scoring. Pure logic over the reference index, name vectors and passage evidence.

A score combines five signals, each in [0, 1], with fixed weights (WEIGHTS):
- crosswalk: our 专业类 → 行业 rows meet the target's GB/T codes (same code, ancestor/descendant, or
  siblings in the same 中类/大类); a row that lists particular 专业 counts fully for those and half
  for the class's other 专业;
- name: embedding similarity of the 专业 name with the target's name and aliases;
- description: embedding similarity with what the target makes or does (a chain's products);
- industry: embedding similarity of the 专业 name with the names of the target's GB/T codes (and their
  children), weighted by the link's role;
- lexical: the target's name (or an alias) appears inside the 专业 name, or the other way round;
- evidence: policy passages that mention both.
Embedding similarities are rescaled per query: the median candidate maps to 0, the best to 1, so
that short and long names are comparable.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field

from search_api.match_index import ClassItem, IndustryItem, Link, ReferenceIndex, SpecialtyItem
from search_api.match_vectors import NameVectors

WEIGHTS = {"crosswalk": 0.45, "name": 0.15, "industry": 0.15, "description": 0.10, "lexical": 0.05, "evidence": 0.10}
# Free words carry no curated codes, only codes guessed from meaning: there the words themselves count more.
TEXT_WEIGHTS = {
    "crosswalk": 0.30,
    "name": 0.30,
    "industry": 0.10,
    "description": 0.0,
    "lexical": 0.20,
    "evidence": 0.10,
}
# bge-small-zh cosine of two names that mean nearly the same (新能源汽车 / 新能源汽车技术 ≈ 0.86).
TOP_COSINE = 0.8


class Target(BaseModel):
    """What a query resolved to: a chain, a GB/T industry, or free words mapped onto GB/T codes."""

    kind: Literal["chain", "industry", "text"]
    id: str | None = None
    name: str
    code: str | None = None
    terms: list[str] = Field(default_factory=list)  # name and aliases: compared as text and embedded
    phrases: list[str] = Field(default_factory=list)  # what the target makes or does (a chain's products)
    links: list[Link] = Field(default_factory=list)


class CrosswalkHit(BaseModel):
    class_name: str
    class_code: str
    industry_code: str
    industry_name: str
    role: str
    reason: str
    via_code: str  # the target's code the row met
    via_name: str
    overlap: float


class Scored(BaseModel):
    """One candidate with its signals; `score` is the weighted sum."""

    score: float
    crosswalk: float = 0.0
    name: float = 0.0
    industry: float = 0.0
    description: float = 0.0
    lexical: float = 0.0
    evidence: float = 0.0
    crosswalk_hit: CrosswalkHit | None = None
    name_cosine: float = 0.0
    best_phrase: str | None = None  # the product/description phrase most similar to the candidate
    best_industry: str | None = None  # "code name" of the most similar linked industry
    industry_cosine: float = 0.0
    passages: list[str] = Field(default_factory=list)


class ScoredSpecialty(Scored):
    specialty: SpecialtyItem
    rank: int = 0  # 1-based place among all candidates


def overlap(a: str, b: str) -> float:
    """How far two GB/T codes (digits, 大类 and below) coincide: 1 same, 0.8/0.7 one contains the other
    one/two levels down, 0.5 siblings in one 中类, 0.25 in one 大类, else 0."""
    if a == b:
        return 1.0
    if a.isdigit() and b.isdigit():
        if a.startswith(b) or b.startswith(a):
            return 0.8 if abs(len(a) - len(b)) == 1 else 0.7
        if len(a) >= 4 and len(b) >= 4 and a[:3] == b[:3]:
            return 0.5
        if a[:2] == b[:2]:
            return 0.25
    return 0.0


def rescale(raw: np.ndarray) -> np.ndarray:
    """Median → 0, best → 1, clipped: similarities relative to the other candidates. The top anchor is
    at least TOP_COSINE, so that a weak best match (no candidate really fits) does not count as perfect."""
    if raw.size == 0:
        return raw
    med, top = float(np.median(raw)), max(float(raw.max()), TOP_COSINE)
    if top - med < 1e-6:
        return np.zeros_like(raw)
    return np.clip((raw - med) / (top - med), 0.0, 1.0)


def lexical(terms: Iterable[str], name: str) -> float:
    for term in terms:
        if len(term) >= 2 and (term in name or name in term):
            return 1.0
    return 0.0


def row_weight(link: Link, specialty_id: str) -> float:
    """The weight of a crosswalk row for one 专业 of its class. A row that lists particular 专业 states
    *their* industry: full weight for them (its role says how central the industry is to the class),
    half its role's weight for the class's other 专业. A row listing none (or none of this level's)
    holds for the class as a whole, with its role's weight."""
    if not link.named_ids:
        return link.weight
    return 1.0 if specialty_id in link.named_ids else link.weight * 0.5


def crosswalk_scores(
    index: ReferenceIndex, candidates: list[SpecialtyItem], links: list[Link]
) -> tuple[np.ndarray, list[tuple[ClassItem, Link, Link, float] | None]]:
    """Per candidate: the best crosswalk-row × target-link agreement, and (class, row, link, overlap)
    that gave it. Code overlaps are computed once per class, not once per 专业."""
    values = np.zeros(len(candidates))
    hits: list[tuple[ClassItem, Link, Link, float] | None] = [None] * len(candidates)
    by_class: dict[str, list[int]] = {}
    for k, s in enumerate(candidates):
        by_class.setdefault(s.class_id, []).append(k)
    for class_id, ks in by_class.items():
        cls = index.classes.get(class_id)
        if cls is None:
            continue
        pairs = [
            (r, row, link, ov)
            for r, row in enumerate(cls.links)
            for link in links
            if (ov := overlap(row.code, link.code)) > 0
        ]
        if not pairs:
            continue
        for k in ks:
            sid = candidates[k].id
            for _, row, link, ov in pairs:
                value = row_weight(row, sid) * link.weight * ov
                if value > values[k]:
                    values[k] = value
                    hits[k] = (cls, row, link, ov)
    return values, hits


def _hit(index: ReferenceIndex, cls: ClassItem, row: Link, via: Link, ov: float) -> CrosswalkHit:
    row_ind = index.industries.get(row.code)
    via_ind = index.industries.get(via.code)
    return CrosswalkHit(
        class_name=cls.name,
        class_code=cls.code,
        industry_code=row.code,
        industry_name=row_ind.name if row_ind else "",
        role=row.role,
        reason=row.reason,
        via_code=via.code,
        via_name=via_ind.name if via_ind else "",
        overlap=ov,
    )


def industry_texts(index: ReferenceIndex, code: str) -> list[IndustryItem]:
    """A code's own node and its direct children: what the code covers, in the standard's words."""
    own = index.industries.get(code)
    kids = [index.industries[c] for c in index.children.get(code, []) if c in index.industries]
    return ([own] if own else []) + kids


def score_specialties(
    index: ReferenceIndex,
    vectors: NameVectors,
    target: Target,
    candidates: list[SpecialtyItem],
    evidence: dict[str, list[str]],
    limit: int | None = None,
    keep: frozenset[str] = frozenset(),
) -> list[ScoredSpecialty]:
    """Candidates scored against the target, best first (ties by code): all of them, or the best
    `limit` plus those whose ids are in `keep` (each with its `rank` in the whole list)."""
    if not candidates:
        return []
    names = [s.name for s in candidates]
    spec = vectors.matrix(names)
    terms = [t for t in target.terms if t]
    name_raw = (spec @ vectors.matrix(terms).T).max(axis=1) if terms else np.zeros(len(candidates))
    name_scaled = rescale(name_raw)
    ind_best = np.zeros(len(candidates))
    ind_cos = np.zeros(len(candidates))
    ind_item = np.full(len(candidates), -1)
    texts: list[IndustryItem] = []  # every linked code and its children, in one list
    for link in target.links:
        items = industry_texts(index, link.code)
        if not items:
            continue
        sims = spec @ vectors.matrix([i.name for i in items]).T
        raw = sims.max(axis=1)
        weighted = link.weight * rescale(raw)
        better = weighted > ind_best
        ind_best = np.where(better, weighted, ind_best)
        ind_cos = np.where(better, raw, ind_cos)
        ind_item = np.where(better, sims.argmax(axis=1) + len(texts), ind_item)
        texts += items
    phrase_scaled = np.zeros(len(candidates))
    phrase_label: list[str | None] = [None] * len(candidates)
    if target.phrases:
        sims = spec @ vectors.matrix(target.phrases).T
        phrase_scaled = rescale(sims.max(axis=1))
        phrase_label = [target.phrases[int(i)] for i in sims.argmax(axis=1)]
    cw, hits = crosswalk_scores(index, candidates, target.links)
    lex = np.array([lexical(terms, n) for n in names])
    ev_counts = np.array([len(evidence.get(n, [])) for n in names], dtype=float)
    ev = np.minimum(1.0, ev_counts / 2)
    signals = {
        "crosswalk": cw,
        "name": name_scaled,
        "industry": ind_best,
        "description": phrase_scaled,
        "lexical": lex,
        "evidence": ev,
    }
    weights = TEXT_WEIGHTS if target.kind == "text" else WEIGHTS
    total = np.round(sum(weights[k] * v for k, v in signals.items()), 4).tolist()
    # Best first; ties by code then level.
    order = sorted(range(len(candidates)), key=lambda k: (-total[k], candidates[k].code, candidates[k].level))
    place = {k: i + 1 for i, k in enumerate(order)}
    chosen = order if limit is None else order[:limit] + [k for k in order[limit:] if candidates[k].id in keep]
    out: list[ScoredSpecialty] = []
    for k in chosen:
        s = candidates[k]
        hit = hits[k]
        out.append(
            ScoredSpecialty(
                specialty=s,
                score=total[k],
                crosswalk_hit=_hit(index, *hit) if hit else None,
                name_cosine=round(float(name_raw[k]), 4),
                best_phrase=phrase_label[k],
                best_industry=f"{texts[ind_item[k]].code} {texts[ind_item[k]].name}" if ind_item[k] >= 0 else None,
                industry_cosine=round(float(ind_cos[k]), 4),
                passages=evidence.get(s.name, []),
                rank=place[k],
                crosswalk=float(cw[k]),
                name=float(name_scaled[k]),
                industry=float(ind_best[k]),
                description=float(phrase_scaled[k]),
                lexical=float(lex[k]),
                evidence=float(ev[k]),
            )
        )
    return out
