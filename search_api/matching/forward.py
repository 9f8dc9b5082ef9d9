"""行业 → 专业: which 专业 serve an industry query (a chain, a GB/T industry, or free words). Pure logic over
the reference index, name vectors and passage evidence.

The signals (see signals.py for the weights, FORWARD_WEIGHTS and, for free words, TEXT_WEIGHTS):
- crosswalk: our 专业类 → 行业 rows meet the query's GB/T codes (same code, ancestor/descendant, or
  siblings in the same 中类/大类); a row that lists particular 专业 counts fully for those and half
  for the class's other 专业;
- name: embedding similarity of the 专业 name with the query's name and aliases;
- description: embedding similarity with what the query's chain makes or does (its products);
- industry: embedding similarity of the 专业 name with the names of the query's GB/T codes (and their
  children), weighted by the link's role;
- lexical: the query's name (or an alias) appears inside the 专业 name, or the other way round;
- evidence: policy passages that mention both.
Embedding similarities are rescaled per query: the median candidate maps to 0, the best to 1, so
that short and long names are comparable.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import BaseModel, Field

from search_api.matching.index import ClassItem, IndustryItem, Link, ReferenceIndex, SpecialtyItem
from search_api.matching.signals import (
    FORWARD_WEIGHTS,
    TEXT_WEIGHTS,
    Scored,
    SignalColumns,
    crosswalk_hit,
    evidence_signal,
    lexical,
    rescale,
    row_weight,
)
from search_api.matching.vectors import NameVectors


class IndustryQuery(BaseModel):
    """The industry side of a match, as a user's words resolved: a chain, a GB/T industry, or free words
    mapped onto GB/T codes."""

    kind: Literal["chain", "industry", "text", "compound"]
    id: str | None = None
    name: str
    code: str | None = None
    terms: list[str] = Field(default_factory=list)  # name and aliases: compared as text and embedded
    phrases: list[str] = Field(default_factory=list)  # what the chain makes or does (its products)
    links: list[Link] = Field(default_factory=list)


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


def crosswalk_scores(
    index: ReferenceIndex, candidates: list[SpecialtyItem], links: list[Link]
) -> tuple[np.ndarray, list[tuple[ClassItem, Link, Link, float] | None]]:
    """Per candidate: the best crosswalk-row × query-link agreement, and (class, row, link, overlap)
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


def industry_texts(index: ReferenceIndex, code: str) -> list[IndustryItem]:
    """A code's own node and its direct children: what the code covers, in the standard's words."""
    own = index.industries.get(code)
    kids = [index.industries[c] for c in index.children.get(code, []) if c in index.industries]
    return ([own] if own else []) + kids


def score_specialties(
    index: ReferenceIndex,
    vectors: NameVectors,
    target: IndustryQuery,
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
    columns = SignalColumns(
        crosswalk=cw,
        name=rescale(name_raw),
        industry=ind_best,
        description=phrase_scaled,
        lexical=np.array([lexical(terms, n) for n in names]),
        evidence=evidence_signal(evidence, names),
    )
    total = (TEXT_WEIGHTS if target.kind == "text" else FORWARD_WEIGHTS).score(columns)
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
                crosswalk_hit=crosswalk_hit(index, hit[0], hit[1], hit[2].code, hit[3]) if hit else None,
                name_cosine=round(float(name_raw[k]), 4),
                best_phrase=phrase_label[k],
                best_industry=f"{texts[ind_item[k]].code} {texts[ind_item[k]].name}" if ind_item[k] >= 0 else None,
                industry_cosine=round(float(ind_cos[k]), 4),
                passages=evidence.get(s.name, []),
                rank=place[k],
                **columns.at(k),
            )
        )
    return out
