"""Exports through the API: the graph as GraphML or JSON (graph.export), search results as CSV.

Both are sent as attachments. The graph export is bounded: a graph larger than MAX_EXPORT_ELEMENTS nodes
plus relationships is refused (413 export_too_large) before anything is built — ask for some labels
instead. The text is built once and sent in pieces, so a slow client does not hold the whole file twice.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Literal

from graph.export import to_graphml
from graph.store import GraphStore
from search_api.errors import ApiError
from search_api.schemas import SearchRequest
from search_api.search import SearchService

ExportFormat = Literal["graphml", "json"]
# Nodes + relationships one export may hold: the seed, the 22 laws and the reference data are ~25k (measured
# with /api/stats on the run of scripts/run), so this leaves room for a library ten times larger.
MAX_EXPORT_ELEMENTS = 300_000
_PIECE = 1 << 16  # characters per streamed piece
CSV_COLUMNS = ("rank", "title", "section", "text", "score", "passage_id", "document_id")


class ExportTooLarge(ApiError):
    status = 413
    code = "export_too_large"


class ExportService:
    def __init__(self, store: GraphStore, search: SearchService) -> None:
        self._store = store
        self._search = search

    def graph(self, fmt: ExportFormat, labels: list[str] | None) -> tuple[str, str, str]:
        """(text, media type, file name) of the graph (only `labels` when given) in the format."""
        stats = self._store.stats()
        nodes = sum(n for label, n in stats.nodes.items() if labels is None or label in labels)
        total = nodes + (sum(stats.relationships.values()) if labels is None else 0)
        if total > MAX_EXPORT_ELEMENTS:
            raise ExportTooLarge(
                f"the graph holds {total} nodes and relationships, more than one export may ({MAX_EXPORT_ELEMENTS}): "
                "export some labels (labels=Organization&labels=Programme …)"
            )
        sub = self._store.export_json(labels=labels)
        if fmt == "graphml":
            return to_graphml(sub), "application/graphml+xml; charset=utf-8", "chuyi-graph.graphml"
        return sub.model_dump_json(), "application/json; charset=utf-8", "chuyi-graph.json"

    def search_csv(self, request: SearchRequest) -> str:
        """The search's results (the page asked for) as CSV, with a BOM so that Excel reads the Chinese."""
        response = self._search.search(request)
        buf = io.StringIO()
        buf.write("\ufeff")
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        for r in response.results:
            writer.writerow([r.rank, r.document.title, r.section, r.text, r.score, r.passage_id, r.document.id])
        return buf.getvalue()


def pieces(text: str) -> Iterator[bytes]:
    for i in range(0, len(text), _PIECE):
        yield text[i : i + _PIECE].encode("utf-8")
