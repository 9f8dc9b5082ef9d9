"""Passage search over the store protocol: hybrid retrieval, filters, paging and highlighted spans."""

from __future__ import annotations

import time

from graph.models import SearchFilters
from graph.text import tokenize
from search_api.hybrid import FusedHit, HybridRetriever
from search_api.schemas import DocumentRef, Highlight, SearchFiltersIn, SearchRequest, SearchResponse, SearchResult


def highlight_terms(query: str) -> list[str]:
    """Query words worth marking: two characters or more (single characters mark noise like 的/给)."""
    tokens = tokenize(query)
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


class SearchService:
    def __init__(self, retriever: HybridRetriever) -> None:
        self._retriever = retriever

    def search(self, request: SearchRequest) -> SearchResponse:
        started = time.perf_counter()
        start = request.start
        fused = self._retriever.retrieve(
            request.query, start + request.top_k, to_store_filters(request.filters), mode=request.mode
        )
        terms = highlight_terms(request.query)
        page = fused[start : start + request.top_k]
        results = [_result(f, start + i + 1, terms) for i, f in enumerate(page)]
        return SearchResponse(
            results=results,
            took_ms=round((time.perf_counter() - started) * 1000, 2),
            total=len(fused),
            offset=start,
            top_k=request.top_k,
            mode=request.mode,
        )


def _result(fused: FusedHit, rank: int, terms: list[str]) -> SearchResult:
    p = fused.hit.passage
    return SearchResult(
        text=p.text,
        score=round(fused.score, 6),
        passage_id=p.id,
        document=DocumentRef(id=p.doc_id, title=fused.hit.document_title),
        section=p.section_path,
        highlights=highlights(p.text, terms),
        rank=rank,
        dense_rank=fused.dense_rank,
        keyword_rank=fused.keyword_rank,
    )
