"""Matching as a service: resolve the words, score, explain; the school gap view (SERVES: refresh.py)."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Literal

from graph.errors import NodeNotFound
from graph.models import Node, Passage
from graph.store import GraphStore
from ingest.embedding import Embedder
from search_api.matching.errors import ReferenceNotLoaded, UnknownIndustry, UnknownSpecialty
from search_api.matching.explain import chain_result, industry_result, specialty_result
from search_api.matching.forward import IndustryQuery, ScoredSpecialty, score_specialties
from search_api.matching.index import IndexCache, ReferenceIndex, SpecialtyItem
from search_api.matching.resolve import chain_query, compound_parts, resolve_industry, resolve_specialty
from search_api.matching.reverse import score_industries
from search_api.matching.schemas import (
    ChainList,
    ChainOut,
    GapRequest,
    GapResponse,
    MatchIndustriesRequest,
    MatchResponse,
    MatchResult,
    MatchSpecialtiesRequest,
    ResolvedTarget,
    SchoolList,
    SchoolOut,
)
from search_api.matching.schools import SchoolDirectory
from search_api.matching.vectors import NameVectors

log = logging.getLogger(__name__)

# How a passage cited as evidence is shown (characters of its text).
_PASSAGE_CHARS = 300

# Passages read per term when looking for policy text that mentions both sides.
_PASSAGES_PER_TERM = 50
_CACHE_MAX = 512


class Ranked:
    """One part of a query (a compound's 现代种业 or 粮食生产, or the whole query) and its ranked 专业."""

    def __init__(self, part: IndustryQuery, scored: list[ScoredSpecialty]) -> None:
        self.part = part
        self.scored = scored


class MatchService:
    def __init__(
        self,
        store: GraphStore,
        embedder: Embedder,
        model_ref: str,
        cache_dir: Path | None,
        reference_dir: Path | None = None,
    ) -> None:
        self._store = store
        self._index = IndexCache(store)
        self._vectors = NameVectors(embedder, model_ref, cache_dir)
        self.schools = SchoolDirectory(store, reference_dir)
        self._passage_cache: dict[tuple[tuple[str, ...], int], list[Passage]] = {}
        self._passage_by_id: dict[str, Passage] = {}
        # (chain, level, passages) → every 专业 of the level scored for that chain, by id: the reverse
        # direction asks for one 专业's place in each chain, which does not depend on the 专业 asked about.
        self._chain_ranks: dict[tuple[str, str, int], dict[str, ScoredSpecialty]] = {}
        self._chain_ranks_of: ReferenceIndex | None = None
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
        self.schools.invalidate()

    def warm(self) -> int:
        """Embed every reference name once (then cached on disk); returns how many names are cached."""
        index = self.index()
        texts = [s.name for s in index.specialties] + [i.name for i in index.industries.values()]
        for c in index.chains.values():
            texts += [c.name, *c.aliases, *c.products]
        self._vectors.matrix(sorted(set(texts)))
        return len(self._vectors)

    def warm_in_background(self) -> threading.Thread:
        """warm() and warm_chains() in a daemon thread (a store without the reference data just ends it)."""

        def run() -> None:
            try:
                self.warm()
                self.warm_chains()
            except ReferenceNotLoaded:
                return
            except Exception:  # a warm-up is an optimisation: a failure must not end the service
                log.exception("warming matching's caches failed")

        thread = threading.Thread(target=run, name="matching-warm", daemon=True)
        thread.start()
        return thread

    def warm_chains(self) -> None:
        """Rank every level's 专业 for every chain once (what the reverse direction reads)."""
        index = self.index()
        for level in sorted({s.level for s in index.specialties}):
            for chain in index.chains.values():
                self._chain_rank(index, chain.name, level)

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
                self._passage_by_id.clear()
            self._passage_cache[key] = found
            self._passage_by_id.update(seen)
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
    def rank_parts(
        self, index: ReferenceIndex, words: str, level: str | None, limit: int | None
    ) -> tuple[IndustryQuery, list[Ranked]]:
        """The words resolved (a compound A与B/A和B/A及B: each part) and each part's best 专业. Parts that name
        nothing are left out; when none names anything, the first part's UnknownIndustry is raised."""
        parts = compound_parts(index, words)
        ranked: list[Ranked] = []
        first_error: UnknownIndustry | None = None
        for part in parts:
            try:
                target = resolve_industry(index, self._vectors, part)
            except UnknownIndustry as exc:
                first_error = first_error or exc
                continue
            ranked.append(Ranked(target, self.rank(index, target, level, limit)))
        if not ranked:
            assert first_error is not None
            raise first_error
        if len(parts) == 1:
            return ranked[0].part, ranked
        whole = IndustryQuery(
            kind="compound",
            name=words.strip(),
            terms=[t for r in ranked for t in r.part.terms],
            links=[lk for r in ranked for lk in r.part.links],
        )
        return whole, ranked

    def results(self, ranked: list[Ranked], limit: int) -> list[MatchResult]:
        """Results of one query, or of a compound's parts merged: each part's best share first (so every
        part is heard), then the best of the rest; a 专业 several parts found keeps its best score and
        names every part."""
        if len(ranked) == 1:
            out = [specialty_result(r, ranked[0].part, i + 1) for i, r in enumerate(ranked[0].scored[:limit])]
            self._cite(out)
            return out
        best: dict[str, MatchResult] = {}
        for part in ranked:
            for r in part.scored:
                result = specialty_result(r, part.part, 0)
                result.part = part.part.name
                kept = best.get(result.id)
                if kept is None or result.score > kept.score:
                    result.parts = [*(kept.parts if kept else []), part.part.name]
                    best[result.id] = result
                else:
                    kept.parts.append(part.part.name)
        share = max(1, limit // (2 * len(ranked)))
        chosen: dict[str, MatchResult] = {}
        for part in ranked:
            for r in part.scored[:share]:
                chosen.setdefault(r.specialty.id, best[r.specialty.id])
        for result in sorted(best.values(), key=lambda x: (-x.score, x.code, x.level)):
            if len(chosen) >= limit:
                break
            chosen.setdefault(result.id, result)
        out = sorted(chosen.values(), key=lambda x: (-x.score, x.code, x.level))[:limit]
        for i, result in enumerate(out):
            result.rank = i + 1
        self._cite(out)
        return out

    def specialties(self, request: MatchSpecialtiesRequest) -> MatchResponse:
        started = time.perf_counter()
        index = self.index()
        level = request.level or (self.schools.require(request.school).level if request.school else None)
        target, ranked = self.rank_parts(index, request.words, level, request.limit)
        return MatchResponse(
            query=request.words,
            target=_resolved(target, ranked),
            results=self.results(ranked, request.limit),
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
            for scored in score_industries(index, self._vectors, spec, evidence, request.industry_level, request.limit):
                results.append(industry_result(index, scored, spec.name, 0))
        if "chain" in request.kinds:
            results += self._chains_for(index, spec)
        results.sort(key=lambda r: (-r.score, r.kind, r.code))
        results = results[: request.limit]
        for i, r in enumerate(results):
            r.rank = i + 1
        self._cite(results)
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
            mine = self._chain_rank(index, chain.name, spec.level)[spec.id]
            out.append(chain_result(chain, mine, mine.rank, of, 0))
        return out

    def _chain_rank(self, index: ReferenceIndex, chain: str, level: str) -> dict[str, ScoredSpecialty]:
        """Every 专业 of the level scored for the chain, by id (cached per index and store revision)."""
        key = (chain, level, self._store.revision())
        with self._lock:
            if self._chain_ranks_of is not index:
                self._chain_ranks, self._chain_ranks_of = {}, index
            cached = self._chain_ranks.get(key)
        if cached is not None:
            return cached
        ranked = {s.specialty.id: s for s in self.rank(index, chain_query(index.chains[chain]), level)}
        with self._lock:
            if self._chain_ranks_of is index:
                self._chain_ranks[key] = ranked
        return ranked

    def _cite(self, results: list[MatchResult]) -> None:
        """Passage evidence filled in with the passage's text, section and document title (read once for
        all results: the passages are those the evidence search already holds)."""
        cited = [e for r in results for e in r.evidence if e.kind == "passage" and e.passage_id]
        if not cited:
            return
        titles = {d.id: d.title for d in self._store.list_documents()}
        with self._lock:
            held = {e.passage_id: self._passage_by_id.get(e.passage_id or "") for e in cited}
        for e in cited:
            passage = held.get(e.passage_id)
            if passage is None:
                continue
            e.text = passage.text[:_PASSAGE_CHARS]
            e.title = titles.get(passage.doc_id, "")
            e.section = passage.section_path

    # -- the school gap view ------------------------------------------------------------------
    def gaps(self, request: GapRequest) -> GapResponse:
        started = time.perf_counter()
        index = self.index()
        school = self.schools.require(request.school) if request.school else None
        level, source = _level_for(request, school)
        target, ranked = self.rank_parts(index, request.words, level, request.top_k)
        node = self._store.get_node(school.id) if school is not None and school.id else None
        offered_ids, unknown = self._offerings(index, node, request.offerings, level)
        by_id = {s.id: s for s in index.specialties}
        relevant = self.results(ranked, request.top_k)
        covered = [r for r in relevant if r.id in offered_ids]
        return GapResponse(
            industry=_resolved(target, ranked),
            school=school.name if school else None,
            level=level,
            level_source=source,
            school_info=school,
            offered=sorted(by_id[i].name for i in offered_ids if i in by_id and by_id[i].level == level),
            unknown_offerings=unknown,
            covered=covered,
            missing=[r for r in relevant if r.id not in offered_ids],
            coverage=round(len(covered) / len(relevant), 4) if relevant else 0.0,
            took_ms=_ms(started),
        )

    # -- pickers ------------------------------------------------------------------------------
    def find_schools(self, q: str, limit: int) -> SchoolList:
        found = self.schools.search(q, limit)
        return SchoolList(schools=found, count=len(found))

    def chains(self) -> ChainList:
        index = self.index()
        chains = [
            ChainOut(id=c.id, name=c.name, aliases=c.aliases, region=c.region or None)
            for c in sorted(index.chains.values(), key=lambda c: c.id)
        ]
        return ChainList(chains=chains, count=len(chains))

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


LevelSource = Literal["request", "institutions", "name", "default"]


def _level_for(request: GapRequest, school: SchoolOut | None) -> tuple[str, LevelSource]:
    if request.level:
        return request.level, "request"
    if school is not None and school.level:
        return school.level, "institutions" if school.source == "institutions" else "name"
    return "高职专科", "default"


def _resolved(target: IndustryQuery, ranked: list[Ranked]) -> ResolvedTarget:
    out = ResolvedTarget(
        kind=target.kind, id=target.id, name=target.name, code=target.code, industries=[lk.code for lk in target.links]
    )
    if len(ranked) > 1:
        out.parts = [_resolved(r.part, []) for r in ranked]
        out.industries = list(dict.fromkeys(out.industries))
    return out


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)
