"""Embedded backend: a networkx graph with exact vector and BM25 passage indexes, persisted atomically
to one file in the data folder (see graph.persistence). No server needed; the default store."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

from graph import nx_queries as nxq
from graph.embedded_index import PassageIndex
from graph.errors import NotSupported, StoreUnavailable
from graph.export import to_graphml
from graph.models import (
    Document,
    DocumentBundle,
    Edge,
    Entity,
    GraphPath,
    Node,
    Passage,
    PassageHit,
    PropertyValue,
    Relation,
    SearchFilters,
    StoreStats,
    Subgraph,
)
from graph.persistence import load_state, remove_stale_temporaries, save_state
from graph.store import Direction
from graph.text import search_tokens
from graph.vectors import normalise

STATE_FILE = "graph.zip"


class EmbeddedStore:
    name = "embedded"

    def __init__(self, data_dir: Path) -> None:
        self._path = Path(data_dir) / STATE_FILE
        self._g: nx.MultiDiGraph = nx.MultiDiGraph()
        self._vectors: dict[str, np.ndarray] = {}
        self._lock = threading.RLock()
        self._started = False
        self._index = PassageIndex()
        self._undirected: nx.Graph | None = None

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> None:
        with self._lock:
            remove_stale_temporaries(self._path)
            if self._path.exists():
                self._g, self._vectors = load_state(self._path)
                self._invalidate()
            self._started = True

    def close(self) -> None:
        self._started = False

    def ping(self) -> None:
        if not self._started:
            raise StoreUnavailable("embedded store not started")

    # -- writes ----------------------------------------------------------------------------
    def upsert_document(self, bundle: DocumentBundle) -> None:
        with self._lock:
            doc = bundle.document
            origin = doc.id
            self._release(origin)
            self._add_node(doc.id, "Document", doc.model_dump(), origin)
            for s in bundle.sections:
                self._add_node(s.id, "Section", s.model_dump(), origin)
                self._add_edge(doc.id, s.id, "HAS_SECTION", None, {}, origin)
            for p in bundle.passages:
                self._add_node(p.id, "Passage", p.model_dump(exclude={"embedding"}), origin)
                self._g.nodes[p.id]["tokens"] = search_tokens(p.text)
                self._add_edge(doc.id, p.id, "HAS_PASSAGE", None, {}, origin)
                if p.embedding is not None:
                    self._vectors[p.id] = normalise(p.embedding)
            self._add_entities(bundle.entities, bundle.relations, origin)
            self._commit()

    def upsert_entities(self, entities: list[Entity], relations: list[Relation], origin: str) -> None:
        with self._lock:
            self._add_entities(entities, relations, origin)
            self._commit()

    def delete_document(self, doc_id: str) -> bool:
        with self._lock:
            if doc_id not in self._g or self._g.nodes[doc_id]["label"] != "Document":
                return False
            self._release(doc_id)
            self._commit()
            return True

    def delete_origin(self, origin: str) -> None:
        with self._lock:
            if self._release(origin):
                self._commit()

    def _add_entities(self, entities: list[Entity], relations: list[Relation], origin: str) -> None:
        for e in entities:
            self._add_node(e.id, e.label, {**e.properties, "name": e.name}, origin)
        for r in relations:
            self._add_edge(r.source, r.target, r.type, r.evidence, r.properties, origin)

    def _add_node(self, node_id: str, label: str, props: dict[str, Any], origin: str) -> None:
        if node_id not in self._g:
            self._g.add_node(node_id, label=label, origins=[], props={})
        attrs = self._g.nodes[node_id]
        attrs["label"] = label
        if origin not in attrs["origins"]:
            attrs["origins"] = [*attrs["origins"], origin]
        _merge(attrs["props"], props)

    def _add_edge(
        self,
        source: str,
        target: str,
        rel_type: str,
        evidence: str | None,
        props: dict[str, PropertyValue],
        origin: str,
    ) -> None:
        if source not in self._g or target not in self._g:
            return
        if not self._g.has_edge(source, target, key=rel_type):
            self._g.add_edge(source, target, key=rel_type, origins=[], evidence=[], props={})
        attrs = self._g.edges[source, target, rel_type]
        if origin not in attrs["origins"]:
            attrs["origins"] = [*attrs["origins"], origin]
        if evidence and evidence not in attrs["evidence"]:
            attrs["evidence"] = [*attrs["evidence"], evidence]
        _merge(attrs["props"], props)
        # A relationship's origins are also its ends' origins, so it never outlives one of them.
        for end in (source, target):
            node = self._g.nodes[end]
            if origin not in node["origins"]:
                node["origins"] = [*node["origins"], origin]

    def _release(self, origin: str) -> bool:
        """Drop `origin` everywhere; nodes and edges left without an origin go. Only the nodes that
        carry the origin are visited, and only their own relationships (see _add_edge)."""
        owned = [n for n, a in self._g.nodes(data=True) if origin in a["origins"]]
        if not owned:
            return False
        doomed = {n for n in owned if self._g.nodes[n]["origins"] == [origin]}
        dead_edges = []
        for n in owned:
            for u, v, k, a in nxq.incident(self._g, n):
                if origin in a["origins"]:
                    a["origins"] = [o for o in a["origins"] if o != origin]
                    a["evidence"] = [e for e in a["evidence"] if e not in doomed]
                    if not a["origins"]:
                        dead_edges.append((u, v, k))
        self._g.remove_edges_from(set(dead_edges))
        for n in owned:
            self._g.nodes[n]["origins"] = [o for o in self._g.nodes[n]["origins"] if o != origin]
        self._g.remove_nodes_from(doomed)
        for n in doomed:
            self._vectors.pop(n, None)
        return True

    def _commit(self) -> None:
        self._invalidate()
        save_state(self._path, self._g, self._vectors)

    def _invalidate(self) -> None:
        self._index.invalidate()
        self._undirected = None

    # -- reads -----------------------------------------------------------------------------
    def get_document_by_sha(self, sha256: str) -> Document | None:
        for doc in self.list_documents():
            if doc.sha256 == sha256:
                return doc
        return None

    def list_documents(self) -> list[Document]:
        with self._lock:
            docs = [Document(id=n, **a["props"]) for n, a in self._g.nodes(data=True) if a["label"] == "Document"]
        return sorted(docs, key=lambda d: (d.title, d.id))

    def get_node(self, node_id: str) -> Node | None:
        with self._lock:
            return nxq.to_node(self._g, node_id) if node_id in self._g else None

    def find_entities(self, q: str, label: str | None = None, limit: int = 20) -> list[Node]:
        with self._lock:
            return nxq.find_entities(self._g, q, label, limit)

    def edges_of(self, node_id: str, rel_types: list[str] | None = None, direction: Direction = "both") -> list[Edge]:
        with self._lock:
            return nxq.edges_of(self._g, node_id, rel_types, direction)

    def neighbors(
        self,
        node_id: str,
        depth: int = 1,
        labels: list[str] | None = None,
        rel_types: list[str] | None = None,
        limit: int = 200,
    ) -> Subgraph:
        with self._lock:
            return nxq.neighbors(self._g, node_id, depth, labels, rel_types, limit)

    def paths(self, source: str, target: str, max_hops: int = 4, limit: int = 10) -> list[GraphPath]:
        with self._lock:
            if self._undirected is None:
                self._undirected = nxq.undirected(self._g)
            return nxq.paths(self._g, self._undirected, source, target, max_hops, limit)

    def vector_search(self, embedding: list[float], k: int, filters: SearchFilters | None = None) -> list[PassageHit]:
        with self._lock:
            ranked = self._index.dense(embedding, self._passage_ids, self._vectors)
            return self._hits(ranked, k, filters)

    def keyword_search(self, tokens: list[str], k: int, filters: SearchFilters | None = None) -> list[PassageHit]:
        with self._lock:
            ranked = self._index.keyword(tokens, self._passage_ids, lambda p: self._g.nodes[p].get("tokens", []))
            return self._hits(ranked, k, filters)

    def _passage_ids(self) -> list[str]:
        return sorted(n for n, a in self._g.nodes(data=True) if a["label"] == "Passage")

    def _hits(self, ranked: Iterable[tuple[str, float]], k: int, filters: SearchFilters | None) -> list[PassageHit]:
        allowed = nxq.allowed_passages(self._g, filters)
        hits: list[PassageHit] = []
        for pid, score in ranked:
            if len(hits) >= k:
                break
            if allowed is not None and pid not in allowed:
                continue
            p = Passage(id=pid, **self._g.nodes[pid]["props"])
            doc = self._g.nodes.get(p.doc_id)
            title = str(doc["props"].get("title", "")) if doc else ""
            hits.append(PassageHit(passage=p, document_title=title, score=score, rank=len(hits) + 1))
        return hits

    def stats(self) -> StoreStats:
        with self._lock:
            nodes: dict[str, int] = {}
            for _, attrs in self._g.nodes(data=True):
                nodes[attrs["label"]] = nodes.get(attrs["label"], 0) + 1
            rels: dict[str, int] = {}
            for _, _, key in self._g.edges(keys=True):
                rels[key] = rels.get(key, 0) + 1
            return StoreStats(nodes=nodes, relationships=rels)

    def export_json(self, labels: list[str] | None = None) -> Subgraph:
        with self._lock:
            return nxq.export(self._g, labels)

    def export_graphml(self, labels: list[str] | None = None) -> str:
        return to_graphml(self.export_json(labels))

    def cypher_read(self, query: str, params: dict[str, PropertyValue]) -> list[dict[str, Any]]:
        raise NotSupported(
            "Cypher queries need the Neo4j store (set CHUYI_STORE=neo4j); the embedded store answers the "
            "graph through the entity, neighbour and path endpoints instead"
        )


def _merge(target: dict[str, Any], props: dict[str, Any]) -> None:
    """Property update with Neo4j's `SET n += props` meaning: None removes a property."""
    for key, value in props.items():
        if key == "id":
            continue
        if value is None:
            target.pop(key, None)
        else:
            target[key] = list(value) if isinstance(value, list) else value
