"""Passage search over the store protocol."""

from __future__ import annotations

import time

from graph.models import PassageHit, SearchFilters
from graph.store import GraphStore
from graph.text import tokenize
from ingest.embedding import Embedder
from search_api.schemas import DocumentRef, Highlight, SearchRequest, SearchResponse, SearchResult


def highlights(text: str, terms: list[str]) -> list[Highlight]:
    """Non-overlapping spans of `text` where a query term occurs, longest terms first."""
    taken = [False] * len(text)
    spans: list[Highlight] = []
    for term in sorted({t for t in terms if len(t) >= 2 or "\u4e00" <= t <= "\u9fff"}, key=len, reverse=True):
        start = text.find(term)
        while start != -1:
            end = start + len(term)
            if not any(taken[start:end]):
                spans.append(Highlight(start=start, end=end, text=term))
                for i in range(start, end):
                    taken[i] = True
            start = text.find(term, end)
    return sorted(spans, key=lambda h: h.start)


class SearchService:
    def __init__(self, store: GraphStore, embedder: Embedder) -> None:
        self._store = store
        self._embedder = embedder

    def search(self, request: SearchRequest) -> SearchResponse:
        started = time.perf_counter()
        filters = None
        if request.filters and request.filters.documents:
            filters = SearchFilters(doc_ids=request.filters.documents)
        vector = self._embedder.embed_query(request.query)
        hits = self._store.vector_search(vector, request.top_k, filters)
        terms = tokenize(request.query)
        results = [_result(hit, terms) for hit in hits]
        return SearchResponse(results=results, took_ms=round((time.perf_counter() - started) * 1000, 2))


def _result(hit: PassageHit, terms: list[str]) -> SearchResult:
    p = hit.passage
    return SearchResult(
        text=p.text,
        score=round(hit.score, 6),
        passage_id=p.id,
        document=DocumentRef(id=p.doc_id, title=hit.document_title),
        section=p.section_path,
        highlights=highlights(p.text, terms),
    )
