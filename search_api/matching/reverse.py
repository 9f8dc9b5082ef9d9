"""专业 → 行业: which GB/T industries a specialty serves (the reverse of forward.score_specialties).

An industry's score combines the specialty's crosswalk rows (the row's code, its descendants and
ancestors), the embedding similarity of the two names, the one name inside the other, and passages
that mention both (weights: signals.REVERSE_WEIGHTS). Along one branch of the tree (C36 > 361 > 3612)
only the best-scoring code is kept, so that the list shows different industries rather than one
industry at three depths.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel

from search_api.matching.index import IndustryItem, ReferenceIndex, SpecialtyItem
from search_api.matching.signals import (
    REVERSE_WEIGHTS,
    Scored,
    SignalColumns,
    crosswalk_hit,
    evidence_signal,
    lexical,
    rescale,
    row_weight,
)
from search_api.matching.vectors import NameVectors

# A narrower code replaces a broader one on its branch when it scores at most this much less.
NARROWER_MARGIN = 0.1


class ScoredIndustry(Scored):
    item: IndustryItem


class IndustryPath(BaseModel):
    codes: list[str]
    names: list[str]


def path_of(index: ReferenceIndex, code: str) -> IndustryPath:
    codes, names = [], []
    cur = index.industries.get(code)
    while cur is not None:
        codes.append(cur.code)
        names.append(cur.name)
        cur = index.industries.get(cur.parent_code) if cur.parent_code else None
    return IndustryPath(codes=codes[::-1], names=names[::-1])


def reverse_overlap(row: str, cand: str) -> float:
    """How well a crosswalk row's code vouches for a candidate industry. Asymmetric: a row saying
    "serves 34" says less about each narrower code under 34 (0.6, 0.5) than about 34 itself."""
    if row == cand:
        return 1.0
    if cand.startswith(row):
        return 0.6 if len(cand) - len(row) == 1 else 0.5
    if row.startswith(cand):
        return 0.7 if len(row) - len(cand) == 1 else 0.6
    if len(row) >= 3 and len(cand) >= 3 and row[:3] == cand[:3]:
        return 0.3
    return 0.2 if row[:2] == cand[:2] else 0.0


def _related(a: str, b: str) -> bool:
    return a.startswith(b) or b.startswith(a)


def score_industries(
    index: ReferenceIndex,
    vectors: NameVectors,
    spec: SpecialtyItem,
    evidence: dict[str, list[str]],
    industry_level: str | None = None,
    limit: int | None = None,
    raw: np.ndarray | None = None,
) -> list[ScoredIndustry]:
    """Industries (大类 and below) for one 专业, best first, one per branch. `raw`: this 专业's cosines
    with `index.industry_candidates()`, when the caller has computed them for many 专业 at once."""
    cands = index.industry_candidates()
    if not cands:
        return []
    if raw is None:
        raw = vectors.matrix([i.name for i in cands]) @ vectors.matrix([spec.name])[0]
    scaled = rescale(raw)
    cls = index.classes.get(spec.class_id)
    # Crosswalk agreement is non-zero only inside a row's 大类: compute it there and nowhere else.
    cw = np.zeros(len(cands))
    best_row: dict[int, tuple[int, float]] = {}
    if cls is not None:
        in_division = index.divisions()
        for r, row in enumerate(cls.links):
            weight = row_weight(row, spec.id)
            for k in in_division.get(row.code[:2], []):
                ov = reverse_overlap(row.code, cands[k].code)
                if weight * ov > cw[k]:
                    cw[k] = weight * ov
                    best_row[k] = (r, ov)
    names = [i.name for i in cands]
    # One name inside the other (护理 / 护理机构服务): each industry's name is the term.
    columns = SignalColumns(
        crosswalk=cw,
        name=scaled,
        lexical=np.array([lexical([n], spec.name) for n in names]),
        evidence=evidence_signal(evidence, names),
    )
    total = REVERSE_WEIGHTS.score(columns)
    # Best first; ties: broader code first, then by code (candidates come in that order already).
    order = np.lexsort((np.arange(len(cands)), -np.asarray(total))).tolist()
    chosen = _one_per_branch(order, cands, total, industry_level, limit)
    kept: list[ScoredIndustry] = []
    for k in chosen:
        ind = cands[k]
        hit = None
        if cls is not None and k in best_row:
            r, ov = best_row[k]
            hit = crosswalk_hit(index, cls, cls.links[r], ind.code, ov)
        kept.append(
            ScoredIndustry(
                item=ind,
                score=total[k],
                crosswalk_hit=hit,
                name_cosine=round(float(raw[k]), 4),
                passages=evidence.get(ind.name, []),
                **columns.at(k),
            )
        )
    return kept


def _one_per_branch(
    order: list[int], cands: list[IndustryItem], total: list[float], level: str | None, limit: int | None
) -> list[int]:
    """Positions to show, best first. With a level: that level only. Without: one code per branch of
    the tree, the narrower code replacing a broader one it scores nearly as well as (344 → 3444)."""
    kept: list[int] = []
    for k in order:
        code = cands[k].code
        if level is not None:
            if cands[k].level == level:
                kept.append(k)
            if limit is not None and len(kept) >= limit:
                break
            continue
        j = next((j for j, o in enumerate(kept) if _related(code, cands[o].code)), None)
        if j is None:
            if limit is None or len(kept) < limit:
                kept.append(k)
        elif code.startswith(cands[kept[j]].code) and total[k] >= total[kept[j]] - NARROWER_MARGIN:
            kept[j] = k
    return sorted(kept, key=lambda k: (-total[k], len(cands[k].code), cands[k].code))
