"""Retrieval over a library, what search and ask both read through: the hybrid ranking, then the
version a query means preferred (current versions unless it names a year or 旧版), then the passages of
the articles or sections it references put first.

Why a factor and not a filter: a superseded law is still the right answer when nothing newer says the
same (and a question may want the history), so older versions only step back. The factor was measured
with scripts/tune_fusion.py on the library dev set and our held-out questions (README).
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from graph.models import Passage, PassageHit, SearchFilters
from search_api.hybrid import FusedHit, FusionConfig, HybridRetriever, RetrievalMode
from search_api.references.catalogue import Library
from search_api.references.places import places_in, same_place
from search_api.references.reading import QueryReader, QueryReading
from search_api.references.schemas import DocumentVersion, QuotedPassage


class VersionPreference(BaseModel):
    # Score factor of a passage from a version the query does not mean (an older one, by default).
    # tune_fusion.py --library: 1.0 (no preference) loses a held-out question naming a work with two
    # versions (23 → 22 of 23 hits@5, MRR .917 → .895); 0.3 to 0.7 give the same figures.
    other_version_factor: float = Field(default=0.5, ge=0, le=1)
    # Score factor of a passage from another locality's document when the query names a place (上海的企业…
    # answered from 北京's regulation); national texts keep their score. The search sets do not move from
    # 0.3 to 1.0; in ask it decides which regulation the answer quotes (tests/api/test_library.py).
    other_place_factor: float = Field(default=0.5, ge=0, le=1)


class LibraryRetriever:
    def __init__(
        self, hybrid: HybridRetriever, reader: QueryReader, preference: VersionPreference | None = None
    ) -> None:
        self.hybrid = hybrid
        self.reader = reader
        self.preference = preference or VersionPreference()

    def prepare(self) -> None:
        """Read the thesaurus and the alias table now rather than on the first query."""
        self.hybrid.thesaurus.groups()
        self.library.aliases()

    @property
    def library(self) -> Library:
        return self.reader.library

    def read(self, query: str, scope: DocumentVersion | None = None) -> QueryReading:
        return self.reader.read(query, scope)

    def retrieve(
        self,
        query: str,
        depth: int,
        filters: SearchFilters | None = None,
        mode: RetrievalMode = "hybrid",
        config: FusionConfig | None = None,
        *,
        reading: QueryReading | None = None,
    ) -> list[FusedHit]:
        """The ranking, best first: referenced passages, then the rest with other versions stepped back."""
        reading = reading if reading is not None else self.reader.read(query)
        fused = self.hybrid.retrieve(query, depth, filters, mode, config)
        return pin(self.prefer(fused, reading), reading, filters, self.library)

    def prefer(self, fused: list[FusedHit], reading: QueryReading) -> list[FusedHit]:
        """Scores of passages from a version the query does not mean, times other_version_factor; from
        another locality than the one it names, times other_place_factor."""
        out = []
        for f in fused:
            factor = self._factor(f.hit.passage.doc_id, reading)
            out.append(f if factor == 1.0 else f.model_copy(update={"score": f.score * factor}))
        return sorted(out, key=lambda f: -f.score)  # stable: equal scores keep the fused order

    def _factor(self, doc_id: str, reading: QueryReading) -> float:
        version = self.library.version(doc_id)
        if version is None:
            return 1.0
        factor = 1.0
        if version.versions > 1:
            meant = reading.meant.get(version.work)
            if not (version.id == meant if meant else version.status == "current"):
                factor *= self.preference.other_version_factor
        if reading.places:
            local = places_in(version.title)
            if local and not any(same_place(a, b) for a in reading.places for b in local):
                factor *= self.preference.other_place_factor
        return factor


def pin(
    ranked: list[FusedHit], reading: QueryReading, filters: SearchFilters | None, library: Library
) -> list[FusedHit]:
    """The referenced passages first (those the filters allow), then the ranking without them."""
    found = {p.id: r.label for r in reading.found for p in r.passages}
    pinned = [p for p in reading.pinned() if _allowed(p, filters, {f.hit.passage.id for f in ranked})]
    if not pinned:
        return ranked
    by_id = {f.hit.passage.id: f for f in ranked}
    top = ranked[0].score if ranked else 0.0
    head = []
    for i, p in enumerate(pinned):
        score = top + (len(pinned) - i) * 1e-3
        known = by_id.get(p.id)
        if known is not None:
            head.append(known.model_copy(update={"score": score, "reference": found[p.id]}))
            continue
        hit = PassageHit(passage=_passage(p), document_title=library.title_of(p.doc_id), score=score, rank=0)
        head.append(FusedHit(hit=hit, score=score, reference=found[p.id]))
    taken = {p.id for p in pinned}
    return head + [f for f in ranked if f.hit.passage.id not in taken]


def _allowed(p: QuotedPassage, filters: SearchFilters | None, ranked: set[str]) -> bool:
    if filters is None:
        return True
    if filters.doc_ids and p.doc_id not in filters.doc_ids:
        return False
    if filters.section_prefix and not p.section_path.startswith(filters.section_prefix):
        return False
    # Issuer and entity filters are the store's to apply: a referenced passage passes when the filtered
    # search returned it too.
    return not (filters.issuers or filters.entity_ids) or p.id in ranked


def _passage(p: QuotedPassage) -> Passage:
    return Passage(id=p.id, doc_id=p.doc_id, section_path=p.section_path, text=p.text, order=p.order)
