"""SERVES in the graph: matching's own refresh step, which `chuyi ingest` runs after the reference data is loaded.

The computed scores are written as (Specialty)-[:SERVES {score, rank, level, why, …}]->(IndustryChain |
Industry) under the origin "computed:serves", replaced whole on every refresh, so that researchers
can query them (e.g. in Cypher: the 专业 serving 工程机械, best first).
"""

from __future__ import annotations

import time

from pydantic import BaseModel

from graph.models import Relation
from graph.store import GraphStore
from ingest.reference.models import SPECIALTY_LEVELS, ReferenceReport
from search_api.matching.errors import ReferenceNotLoaded
from search_api.matching.explain import chain_result, industry_result
from search_api.matching.resolve import chain_query
from search_api.matching.reverse import score_industries
from search_api.matching.service import MatchService

SERVES_ORIGIN = "computed:serves"
# Per chain and level, the best this many 专业 are stored (when they score at least MIN_SCORE) …
PER_CHAIN_LEVEL = 30
MIN_SCORE = 0.3
# … and per 专业 its best industries (one per branch of the GB/T tree).
PER_SPECIALTY = 3


class ServesSummary(BaseModel):
    chain_relations: int
    industry_relations: int
    seconds: float


class ReferenceLoad(BaseModel):
    """The reference step of `chuyi ingest`: what was imported, and the SERVES written after it."""

    report: ReferenceReport
    serves: ServesSummary | None = None

    def lines(self) -> list[str]:
        out = self.report.lines()
        if self.serves is not None:
            s = self.serves
            out.append(f"SERVES: {s.chain_relations} 专业→产业链, {s.industry_relations} 专业→行业 ({s.seconds:.1f} s)")
        return out


def serves_relations(matching: MatchService) -> tuple[list[Relation], list[Relation]]:
    """SERVES to chains (each chain's best 专业 per level) and to industries (each 专业's best codes)."""
    index = matching.index()
    chain_rels: list[Relation] = []
    for chain in sorted(index.chains.values(), key=lambda c: c.name):
        target = chain_query(chain)
        for level in SPECIALTY_LEVELS:
            of = sum(1 for s in index.specialties if s.level == level)
            for scored in matching.rank(index, target, level, PER_CHAIN_LEVEL):
                if scored.score < MIN_SCORE:
                    break
                result = chain_result(chain, scored, scored.rank, of, scored.rank)
                chain_rels.append(
                    _relation(
                        scored.specialty.id,
                        chain.id,
                        result.score,
                        scored.rank,
                        level,
                        result.why,
                        "chain",
                        scored.passages,
                    )
                )
    industry_rels: list[Relation] = []
    cands = index.industry_candidates()
    vectors = matching.vectors
    sims = vectors.matrix([s.name for s in index.specialties]) @ vectors.matrix([i.name for i in cands]).T
    for k, spec in enumerate(index.specialties):
        evidence = matching.reverse_evidence(index, spec)
        for place, served in enumerate(
            score_industries(index, vectors, spec, evidence, None, PER_SPECIALTY, sims[k]), start=1
        ):
            result = industry_result(index, served, spec.name, place)
            industry_rels.append(
                _relation(
                    spec.id, served.item.id, result.score, place, spec.level, result.why, "industry", served.passages
                )
            )
    return chain_rels, industry_rels


def _relation(
    source: str, target: str, score: float, rank: int, level: str, why: str, kind: str, passages: list[str]
) -> Relation:
    return Relation(
        source=source,
        target=target,
        type="SERVES",
        evidence=passages[0] if passages else None,
        properties={
            "score": score,
            "rank": rank,
            "level": level,
            "why": why,
            "target_kind": kind,
            "passages": passages[:5],
        },
    )


def write_serves(store: GraphStore, matching: MatchService) -> ServesSummary:
    """Recompute every SERVES relation from the store's reference data and replace the old ones whole.
    Raises ReferenceNotLoaded when the 专业目录 or GB/T 4754 is missing."""
    started = time.perf_counter()
    matching.invalidate()
    matching.warm()
    chain_rels, industry_rels = serves_relations(matching)
    store.delete_origin(SERVES_ORIGIN)
    store.upsert_entities([], chain_rels + industry_rels, SERVES_ORIGIN)
    return ServesSummary(
        chain_relations=len(chain_rels),
        industry_relations=len(industry_rels),
        seconds=round(time.perf_counter() - started, 2),
    )


def refresh_serves(store: GraphStore, matching: MatchService, report: ReferenceReport) -> ReferenceLoad:
    """The step after the reference data is loaded (`report` says what was): SERVES recomputed. A store
    without the 专业目录 or GB/T 4754 gets a warning on the report instead, not an error."""
    try:
        serves: ServesSummary | None = write_serves(store, matching)
    except ReferenceNotLoaded:
        report.warnings.append("SERVES not computed: the 专业目录 or GB/T 4754 is missing")
        serves = None
    return ReferenceLoad(report=report, serves=serves)
