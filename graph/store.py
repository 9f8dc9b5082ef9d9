"""The one protocol every graph backend implements. The API talks to stores only through this.

Shared semantics (both backends, proven by tests/graph/test_conformance.py):
- Every node and relationship carries `origins`: the document ids or origin strings (for example
  "reference:specialty-catalogue") that brought it. Deleting an origin removes it everywhere and drops
  what is left with none, so entities shared with another origin stay. A relationship's origins are
  also recorded on both its end nodes, so a relationship never outlives one of its ends.
- Node ids are global across labels.
- Relationships carry `evidence`: the ids of the passages they were read from. Origins and evidence
  are read back sorted.
- Unknown node ids in neighbors/paths/edges_of raise graph.errors.NodeNotFound (the batch reads
  get_nodes and edges_of_many leave them out instead).
"""

from __future__ import annotations

from typing import Any, Literal, Protocol, runtime_checkable

from graph.errors import InvalidQuery
from graph.models import (
    Document,
    DocumentBundle,
    Edge,
    Entity,
    GraphPath,
    Node,
    PassageHit,
    PropertyValue,
    Relation,
    SearchFilters,
    StoreStats,
    Subgraph,
)
from graph.text import Tokenizer

Direction = Literal["out", "in", "both"]


def check_document_query(work: str | None, text_sha256: str | None) -> None:
    """find_documents needs a criterion: without one it would be list_documents."""
    if work is None and text_sha256 is None:
        raise InvalidQuery("find_documents needs a work or a text fingerprint")


@runtime_checkable
class GraphStore(Protocol):
    name: str
    @property
    def tokenizer(self) -> Tokenizer:
        """The tokenizer the store indexes passage text with. Keyword queries are segmented with it
        (tokenizer.search_tokens(query)) and known names are taught to it (tokenizer.add_words), so a
        query splits a name the way the passages were split; no tokenizer is shared across stores."""

    def start(self) -> None:
        """Open connections / load persisted state. Constructors do no I/O; this does."""

    def close(self) -> None: ...

    def ping(self) -> None:
        """Raise StoreUnavailable when the store cannot answer."""

    def upsert_document(self, bundle: DocumentBundle) -> None:
        """Write a document with everything it brings, replacing any earlier version (same id) whole."""

    def delete_document(self, doc_id: str) -> bool:
        """Remove a document and what only it brought; shared entities stay. False if unknown."""

    def upsert_entities(self, entities: list[Entity], relations: list[Relation], origin: str) -> None:
        """Batched, additive upsert of nodes/relations not brought by a document (reference data,
        curated knowledge, computed SERVES scores). `origin` plays the role a document id plays:
        delete_origin(origin) removes what only it brought. Relations whose ends are unknown are skipped."""

    def delete_origin(self, origin: str) -> None:
        """Remove `origin` from every node and relationship; drop those left with no origin."""

    def replace_origin(self, entities: list[Entity], relations: list[Relation], origin: str) -> None:
        """delete_origin(origin) then upsert_entities(..., origin) as one atomic write: readers see the old
        or the new set, never none."""

    def revision(self) -> int:
        """A number that changes on every committed write (upsert/delete of anything) and stays the same
        between writes, across processes for the same data; caches key on it."""

    def get_nodes(self, ids: list[str]) -> dict[str, Node]:
        """The nodes that exist among ids (one round trip); unknown ids are absent from the result."""

    def get_document(self, doc_id: str) -> Document | None: ...

    def get_document_by_sha(self, sha256: str) -> Document | None: ...

    def find_documents(self, *, work: str | None = None, text_sha256: str | None = None) -> list[Document]:
        """The documents of one work and/or with one normalised-text fingerprint, through an index (ingest
        asks per file; a library has tens of thousands), ordered as list_documents orders them. At least
        one criterion: InvalidQuery otherwise."""

    def list_documents(self) -> list[Document]: ...

    def get_node(self, node_id: str) -> Node | None: ...

    def find_entities(self, q: str, label: str | None = None, limit: int = 20) -> list[Node]:
        """Entity nodes (graph.models.ENTITY_LABELS) whose name or one of whose `aliases` matches `q`,
        case-insensitively: exact matches first, then names containing q, then aliases containing q;
        within a rank shorter names first, then by id. An empty q matches every entity."""

    def edges_of(self, node_id: str, rel_types: list[str] | None = None, direction: Direction = "both") -> list[Edge]:
        """Relationships at a node, sorted by (type, source, target)."""

    def edges_of_many(
        self, node_ids: list[str], rel_types: list[str] | None = None, direction: Direction = "both"
    ) -> dict[str, list[Edge]]:
        """edges_of for each of the nodes, in one round trip: node id → its relationships, each list
        sorted as edges_of sorts it. Unknown ids are absent from the result (they do not raise)."""

    def neighbors(
        self,
        node_id: str,
        depth: int = 1,
        labels: list[str] | None = None,
        rel_types: list[str] | None = None,
        limit: int = 200,
    ) -> Subgraph:
        """Breadth-first, ignoring direction, through relationships of `rel_types` to nodes with one of
        `labels` (None: any). Nodes: the start node, then each level sorted by id, at most `limit` besides
        the start. Edges: every matching relationship among the returned nodes."""

    def paths(self, source: str, target: str, max_hops: int = 4, limit: int = 10) -> list[GraphPath]:
        """Simple paths ignoring direction, shortest first (ties by node ids), at most `limit`. Between
        two consecutive nodes the path shows one relationship: the least by (type, source, target)."""

    def vector_search(self, embedding: list[float], k: int, filters: SearchFilters | None = None) -> list[PassageHit]:
        """Passages by cosine similarity (score in [-1, 1]), exact on filtered searches."""

    def keyword_search(self, tokens: list[str], k: int, filters: SearchFilters | None = None) -> list[PassageHit]:
        """Passages by BM25 over the store tokenizer's search_tokens of their text. Pass
        tokenizer.search_tokens(query) (best) or tokenizer.tokenize(query) (words only) as `tokens`;
        repeated tokens count once."""

    def stats(self) -> StoreStats: ...

    def export_json(self, labels: list[str] | None = None) -> Subgraph:
        """The whole graph (or the nodes with one of `labels` and the relationships among them), without
        embeddings; nodes sorted by id, edges by (source, type, target)."""

    def export_graphml(self, labels: list[str] | None = None) -> str:
        """export_json as GraphML text (for Gephi, yEd, networkx.read_graphml)."""

    def cypher_read(self, query: str, params: dict[str, PropertyValue]) -> list[dict[str, Any]]:
        """Neo4j: a read-only query in a READ transaction; write/admin clauses raise QueryRefused before
        anything runs. Nodes come back as {"id", "label", "properties"}, relationships as {"source",
        "target", "type", "properties"}; at most 10,000 rows, 30 s. Embedded: raises NotSupported."""


@runtime_checkable
class ListsInOneRead(Protocol):
    """A store that reads a search's ranked lists together (Neo4j: one round trip instead of one per list).
    search_api.hybrid uses it where a store has it; the embedded store answers in-process and needs none."""

    def search_lists(
        self,
        embedding: list[float] | None,
        keyword_tokens: list[list[str]],
        k: int,
        filters: SearchFilters | None = None,
    ) -> tuple[list[PassageHit], list[list[PassageHit]]]:
        """(vector_search(embedding, k, filters) — [] when embedding is None —, [keyword_search(tokens, k,
        filters) for tokens in keyword_tokens]): the same lists, in the same order, with the same scores."""
