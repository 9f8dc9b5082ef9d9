"""Passage search over the store protocol: hybrid retrieval, filters, paging and highlighted spans."""

from __future__ import annotations

import time

from graph.models import SearchFilters
from graph.text import Tokenizer, tokenize
from search_api.hybrid import FusedHit
from search_api.references.catalogue import Library
from search_api.references.schemas import DocumentVersion, ReferenceResolution
from search_api.retrieval import LibraryRetriever
from search_api.schemas import (
    DocumentRef,
    Highlight,
    ReferenceOut,
    SearchFiltersIn,
    SearchRequest,
    SearchResponse,
    SearchResult,
)


def highlight_terms(query: str, tokenizer: Tokenizer | None = None) -> list[str]:
    """Query words worth marking: two characters or more (single characters mark noise like 的/给).
    Segmented with `tokenizer` (the store's), else with jieba's base dictionary."""
    tokens = tokenizer.tokenize(query) if tokenizer is not None else tokenize(query)
    long = [t for t in tokens if len(t) >= 2]
    return long or tokens


def highlights(text: str, terms: list[str]) -> list[Highlight]:
    """Non-overlapping spans of `text` where a query term occurs, longest terms first."""
    taken = [False] * len(text)
    spans: list[Highlight] = []
    lowered = text.lower()
    for term in sorted(set(terms), key=len, reverse=True):
        start = lowered.find(term)
        while start != -1:
            end = start + len(term)
            if not any(taken[start:end]):
                spans.append(Highlight(start=start, end=end, text=text[start:end]))
                for i in range(start, end):
                    taken[i] = True
            start = lowered.find(term, end)
    return sorted(spans, key=lambda h: h.start)


def to_store_filters(filters: SearchFiltersIn | None) -> SearchFilters | None:
    if filters is None:
        return None
    mapped = SearchFilters(
        doc_ids=filters.documents or None,
        issuers=filters.issuers or None,
        section_prefix=filters.section or None,
        entity_ids=filters.entities or None,
    )
    return mapped if mapped.model_dump(exclude_none=True) else None


def document_ref(doc_id: str, title: str, library: Library) -> DocumentRef:
    version = library.version(doc_id)
    if version is None:
        return DocumentRef(id=doc_id, title=title)
    return version_ref(version)


def version_ref(version: DocumentVersion) -> DocumentRef:
    return DocumentRef(
        id=version.id,
        title=version.title,
        source=version.source,
        version=version.version_label,
        status=version.status,
    )


def reference_out(resolution: ReferenceResolution) -> ReferenceOut:
    return ReferenceOut(
        text=resolution.reference.text,
        status=resolution.status,
        label=resolution.label,
        message=resolution.message,
        document=version_ref(resolution.document) if resolution.document else None,
        candidates=[version_ref(c) for c in resolution.candidates],
    )


class SearchService:
    def __init__(self, retriever: LibraryRetriever) -> None:
        self._retriever = retriever

    def search(self, request: SearchRequest) -> SearchResponse:
        started = time.perf_counter()
        start = request.start
        filters = to_store_filters(request.filters)
        library = self._retriever.library
        # A search inside one document reads a bare 第三条 as that document's.
        scope = (
            library.version(filters.doc_ids[0]) if filters and filters.doc_ids and len(filters.doc_ids) == 1 else None
        )
        reading = self._retriever.read(request.query, scope)
        fused = self._retriever.retrieve(
            request.query, start + request.top_k, filters, mode=request.mode, reading=reading
        )
        terms = highlight_terms(request.query, self._retriever.hybrid.tokenizer)
        page = fused[start : start + request.top_k]
        results = [_result(f, start + i + 1, terms, library) for i, f in enumerate(page)]
        return SearchResponse(
            results=results,
            took_ms=round((time.perf_counter() - started) * 1000, 2),
            total=len(fused),
            offset=start,
            top_k=request.top_k,
            mode=request.mode,
            references=[reference_out(r) for r in reading.references],
        )


def _result(fused: FusedHit, rank: int, terms: list[str], library: Library) -> SearchResult:
    p = fused.hit.passage
    return SearchResult(
        text=p.text,
        score=round(fused.score, 6),
        passage_id=p.id,
        document=document_ref(p.doc_id, fused.hit.document_title, library),
        section=p.section_path,
        highlights=highlights(p.text, terms),
        rank=rank,
        dense_rank=fused.dense_rank,
        keyword_rank=fused.keyword_rank,
        reference=fused.reference,
    )
