"""The one protocol every graph backend implements. The API talks to stores only through this."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from graph.models import Document, DocumentBundle, Node, PassageHit, SearchFilters, StoreStats


@runtime_checkable
class GraphStore(Protocol):
    name: str

    def start(self) -> None:
        """Open connections / load persisted state. Constructors do no I/O; this does."""

    def close(self) -> None: ...

    def ping(self) -> None:
        """Raise StoreUnavailable when the store cannot answer."""

    def upsert_document(self, bundle: DocumentBundle) -> None:
        """Write a document with everything it brings, replacing any earlier version (same id) whole."""

    def delete_document(self, doc_id: str) -> bool:
        """Remove a document and what only it brought; shared entities stay. False if unknown."""

    def get_document_by_sha(self, sha256: str) -> Document | None: ...

    def list_documents(self) -> list[Document]: ...

    def get_node(self, node_id: str) -> Node | None: ...

    def vector_search(
        self, embedding: list[float], k: int, filters: SearchFilters | None = None
    ) -> list[PassageHit]: ...

    def keyword_search(self, tokens: list[str], k: int, filters: SearchFilters | None = None) -> list[PassageHit]: ...

    def stats(self) -> StoreStats: ...
