"""Matching as a service: resolve the words, score, explain; the school gap view (SERVES: refresh.py)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from graph.errors import NodeNotFound
from graph.models import Node, Passage
from graph.store import GraphStore
from graph.views import Organization, name_of
from ingest.embedding import Embedder
from search_api.matching.errors import ReferenceNotLoaded, UnknownSchool, UnknownSpecialty
from search_api.matching.explain import chain_result, industry_result, specialty_result
from search_api.matching.forward import IndustryQuery, ScoredSpecialty, score_specialties
from search_api.matching.index import IndexCache, ReferenceIndex, SpecialtyItem
from search_api.matching.resolve import chain_query, resolve_industry, resolve_specialty
from search_api.matching.reverse import score_industries
from search_api.matching.schemas import (
    GapRequest,
    GapResponse,
    MatchIndustriesRequest,
    MatchResponse,
    MatchResult,
    MatchSpecialtiesRequest,
    ResolvedTarget,
)
from search_api.matching.vectors import NameVectors

# Passages read per term when looking for policy text that mentions both sides.
_PASSAGES_PER_TERM = 50
_CACHE_MAX = 512


class MatchService:
    def __init__(self, store: GraphStore, embedder: Embedder, model_ref: str, cache_dir: Path | None) -> None:
        self._store = store
        self._index = IndexCache(store)
        self._vectors = NameVectors(embedder, model_ref, cache_dir)
        self._passage_cache: dict[tuple[tuple[str, ...], int], list[Passage]] = {}
        self._lock = threading.Lock()

    # -- shared ------------------------------------------------------------------------------
    def index(self) -> ReferenceIndex:
        index = self._index.get()
        if not index.specialties or not index.industries:
            raise ReferenceNotLoaded(
                "the 专业目录 and GB/T 4754 are not in the store: set CHUYI_REFERENCE_DIR to the reference-data "
                "folder and run `chuyi ingest corpora/`"
            )
        return index

    @property
    def vectors(self) -> NameVectors:
        return self._vectors

    def invalidate(self) -> None:
        self._index.invalidate()

    def warm(self) -> int:
        """Embed every reference name once (then cached on disk); returns how many names are cached."""
        index = self.index()
        texts = [s.name for s in index.specialties] + [i.name for i in index.industries.values()]
        for c in index.chains.values():
            texts += [c.name, *c.aliases, *c.products]
        self._vectors.matrix(sorted(set(texts)))
        return len(self._vectors)

    def _passages(self, terms: list[str]) -> list[Passage]:
        """Passages containing one of the terms. Cached until the store's revision moves."""
        key = (tuple(terms), self._store.revision())
        with self._lock:
            cached = self._passage_cache.get(key)
        if cached is not None:
            return cached
        seen: dict[str, Passage] = {}
        for term in dict.fromkeys(t for t in terms if len(t) >= 2):
            for hit in self._store.keyword_search(self._store.tokenizer.tokenize(term), _PASSAGES_PER_TERM):
                if term in hit.passage.text:
                    seen.setdefault(hit.passage.id, hit.passage)
        found = [seen[k] for k in sorted(seen)]
        with self._lock:
            if len(self._passage_cache) >= _CACHE_MAX:
                self._passage_cache.clear()
            self._passage_cache[key] = found
        return found

    def _evidence(self, terms: list[str], names: set[str]) -> dict[str, list[str]]:
        """name → ids of passages that contain one of `terms` and the name."""
        out: dict[str, list[str]] = {}
        for p in self._passages(terms):
            for name in names:
                if len(name) >= 2 and name in p.text:
                    out.setdefault(name, []).append(p.id)
        return out

    def rank(
        self,
        index: ReferenceIndex,
        target: IndustryQuery,
        level: str | None,
        limit: int | None = None,
        keep: frozenset[str] = frozenset(),
    ) -> list[ScoredSpecialty]:
        candidates = [s for s in index.specialties if level is None or s.level == level]
        evidence = self._evidence(target.terms, {s.name for s in candidates})
        return score_specialties(index, self._vectors, target, candidates, evidence, limit, keep)

    # -- industry → specialties -------------------------------------------------------------
    def specialties(self, request: MatchSpecialtiesRequest) -> MatchResponse:
        started = time.perf_counter()
        index = self.index()
        target = resolve_industry(index, self._vectors, request.industry)
        ranked = self.rank(index, target, request.level, request.top_k)
        return MatchResponse(
            query=request.industry,
            target=_resolved(target),
            results=[specialty_result(r, target, i + 1) for i, r in enumerate(ranked)],
            took_ms=_ms(started),
        )

    # -- specialty → industries and chains ------------------------------------------------
    def industries(self, request: MatchIndustriesRequest) -> MatchResponse:
        started = time.perf_counter()
        index = self.index()
        spec = resolve_specialty(index, request.specialty, request.level)[0]
        results: list[MatchResult] = []
        if "industry" in request.kinds:
            evidence = self.reverse_evidence(index, spec)
            for scored in score_industries(index, self._vectors, spec, evidence, request.industry_level, request.top_k):
                results.append(industry_result(index, scored, spec.name, 0))
        if "chain" in request.kinds:
            results += self._chains_for(index, spec)
        results.sort(key=lambda r: (-r.score, r.kind, r.code))
        results = results[: request.top_k]
        for i, r in enumerate(results):
            r.rank = i + 1
        return MatchResponse(
            query=request.specialty,
            target=ResolvedTarget(kind="specialty", id=spec.id, name=spec.name, code=spec.code),
            results=results,
            took_ms=_ms(started),
        )

    def reverse_evidence(self, index: ReferenceIndex, spec: SpecialtyItem) -> dict[str, list[str]]:
        """Industry name → passages that mention it and the 专业 (names of 3+ characters only: shorter
        ones, such as 电视, occur inside unrelated words)."""
        passages = self._passages([spec.name])
        if not passages:
            return {}
        return self._evidence([spec.name], {i.name for i in index.industries.values() if len(i.name) >= 3})

    def _chains_for(self, index: ReferenceIndex, spec: SpecialtyItem) -> list[MatchResult]:
        of = sum(1 for s in index.specialties if s.level == spec.level)
        out = []
        for chain in index.chains.values():
            mine = self.rank(index, chain_query(chain), spec.level, 0, frozenset({spec.id}))[0]
            out.append(chain_result(chain, mine, mine.rank, of, 0))
        return out

    # -- the school gap view ------------------------------------------------------------------
    def gaps(self, request: GapRequest) -> GapResponse:
        started = time.perf_counter()
        index = self.index()
        school = self._school(request.school) if request.school else None
        level = request.level or _level_for(school)
        target = resolve_industry(index, self._vectors, request.industry)
        ranked = self.rank(index, target, level, request.top_k)
        offered_ids, unknown = self._offerings(index, school, request.offerings, level)
        by_id = {s.id: s for s in index.specialties}
        relevant = [specialty_result(r, target, i + 1) for i, r in enumerate(ranked)]
        covered = [r for r in relevant if r.id in offered_ids]
        return GapResponse(
            industry=_resolved(target),
            school=name_of(school) if school else None,
            level=level,
            offered=sorted(by_id[i].name for i in offered_ids if i in by_id),
            unknown_offerings=unknown,
            covered=covered,
            missing=[r for r in relevant if r.id not in offered_ids],
            coverage=round(len(covered) / len(relevant), 4) if relevant else 0.0,
            took_ms=_ms(started),
        )

    def _school(self, name_or_id: str) -> Node:
        node = self._store.get_node(name_or_id)
        if node is None or node.label != "Organization":
            found = [
                n
                for n in self._store.find_entities(name_or_id, label="Organization", limit=5)
                if name_of(n) == name_or_id
            ]
            if not found:
                raise UnknownSchool(f"no school named {name_or_id!r} in the graph (load the institution list)")
            node = found[0]
        return node

    def _offerings(
        self, index: ReferenceIndex, school: Node | None, given: list[str], level: str
    ) -> tuple[set[str], list[str]]:
        ids: set[str] = set()
        if school is not None:
            try:
                edges = self._store.edges_of(school.id, ["OFFERS"], "out")
            except NodeNotFound:
                edges = []
            ids |= {e.target for e in edges}
        unknown: list[str] = []
        for item in given:
            try:
                ids |= {s.id for s in resolve_specialty(index, item, level)}
            except UnknownSpecialty:
                unknown.append(item)
        return ids, unknown


def _level_for(school: Node | None) -> str:
    if school is not None and Organization.from_node(school).level == "本科":
        return "职业本科"
    return "高职专科"


def _resolved(target: IndustryQuery) -> ResolvedTarget:
    return ResolvedTarget(
        kind=target.kind, id=target.id, name=target.name, code=target.code, industries=[lk.code for lk in target.links]
    )


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)
