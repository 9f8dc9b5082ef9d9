"""Embedded backend: a networkx graph, an exact vector index and a BM25 index, persisted atomically.

State lives in one file (`graph.zip` in the data folder) replaced with os.replace, so a crash in the
middle of a save leaves the previous file intact and loadable.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import threading
import zipfile
from pathlib import Path
from typing import Any

import bm25s
import networkx as nx
import numpy as np

from graph.errors import StoreCorrupt, StoreUnavailable
from graph.models import (
    Document,
    DocumentBundle,
    Node,
    Passage,
    PassageHit,
    PropertyValue,
    SearchFilters,
    StoreStats,
)
from graph.text import tokenize

STATE_FILE = "graph.zip"
_FORMAT = 1


class EmbeddedStore:
    name = "embedded"

    def __init__(self, data_dir: Path) -> None:
        self._path = Path(data_dir) / STATE_FILE
        self._g: nx.MultiDiGraph = nx.MultiDiGraph()
        self._vectors: dict[str, np.ndarray] = {}
        self._lock = threading.RLock()
        self._started = False
        self._dense: tuple[list[str], np.ndarray] | None = None
        self._bm25: tuple[list[str], bm25s.BM25 | None] | None = None

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> None:
        with self._lock:
            if self._path.exists():
                self._load()
            self._started = True

    def close(self) -> None:
        self._started = False

    def ping(self) -> None:
        if not self._started:
            raise StoreUnavailable("embedded store not started")

    # -- writes ----------------------------------------------------------------------------
    def upsert_document(self, bundle: DocumentBundle) -> None:
        with self._lock:
            self._remove_document(bundle.document.id)
            doc = bundle.document
            self._add_node(doc.id, "Document", doc.model_dump(), doc.id)
            for s in bundle.sections:
                self._add_node(s.id, "Section", s.model_dump(), doc.id)
                self._add_edge(doc.id, s.id, "HAS_SECTION", None, {}, doc.id)
            for p in bundle.passages:
                props = p.model_dump(exclude={"embedding"})
                self._add_node(p.id, "Passage", props, doc.id)
                self._add_edge(doc.id, p.id, "HAS_PASSAGE", None, {}, doc.id)
                if p.embedding is not None:
                    self._vectors[p.id] = _normalise(p.embedding)
            for e in bundle.entities:
                props = {"name": e.name, **e.properties}
                self._add_node(e.id, e.label, props, doc.id)
            for r in bundle.relations:
                self._add_edge(r.source, r.target, r.type, r.evidence, r.properties, doc.id)
            self._invalidate()
            self._save()

    def delete_document(self, doc_id: str) -> bool:
        with self._lock:
            if doc_id not in self._g:
                return False
            self._remove_document(doc_id)
            self._invalidate()
            self._save()
            return True

    def _add_node(self, node_id: str, label: str, props: dict[str, Any], origin: str) -> None:
        if node_id in self._g:
            attrs = self._g.nodes[node_id]
            attrs["origins"] = sorted(set(attrs["origins"]) | {origin})
            attrs["props"].update({k: v for k, v in props.items() if k != "id"})
        else:
            self._g.add_node(
                node_id,
                label=label,
                origins=[origin],
                props={k: v for k, v in props.items() if k != "id"},
            )

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
        if self._g.has_edge(source, target, key=rel_type):
            attrs = self._g.edges[source, target, rel_type]
            attrs["origins"] = sorted(set(attrs["origins"]) | {origin})
            if evidence and evidence not in attrs["evidence"]:
                attrs["evidence"] = [*attrs["evidence"], evidence]
            attrs["props"].update(props)
        else:
            self._g.add_edge(
                source,
                target,
                key=rel_type,
                origins=[origin],
                evidence=[evidence] if evidence else [],
                props=dict(props),
            )

    def _remove_document(self, doc_id: str) -> None:
        """Drop the origin `doc_id` everywhere; nodes and edges left without an origin go."""
        doomed_edges = []
        for u, v, k, attrs in self._g.edges(keys=True, data=True):
            if doc_id in attrs["origins"]:
                attrs["origins"] = [o for o in attrs["origins"] if o != doc_id]
                if not attrs["origins"]:
                    doomed_edges.append((u, v, k))
        self._g.remove_edges_from(doomed_edges)
        doomed_nodes = []
        for n, attrs in self._g.nodes(data=True):
            if doc_id in attrs["origins"]:
                attrs["origins"] = [o for o in attrs["origins"] if o != doc_id]
                if not attrs["origins"]:
                    doomed_nodes.append(n)
        self._g.remove_nodes_from(doomed_nodes)
        for n in doomed_nodes:
            self._vectors.pop(n, None)

    # -- reads -----------------------------------------------------------------------------
    def get_document_by_sha(self, sha256: str) -> Document | None:
        for doc in self.list_documents():
            if doc.sha256 == sha256:
                return doc
        return None

    def list_documents(self) -> list[Document]:
        with self._lock:
            docs = [
                Document(id=n, **attrs["props"])
                for n, attrs in self._g.nodes(data=True)
                if attrs["label"] == "Document"
            ]
        return sorted(docs, key=lambda d: d.title)

    def get_node(self, node_id: str) -> Node | None:
        with self._lock:
            if node_id not in self._g:
                return None
            attrs = self._g.nodes[node_id]
            return Node(id=node_id, label=attrs["label"], properties=dict(attrs["props"]))

    def _passage(self, pid: str) -> Passage:
        return Passage(id=pid, **self._g.nodes[pid]["props"])

    def _title(self, doc_id: str) -> str:
        node = self._g.nodes.get(doc_id)
        return str(node["props"].get("title", "")) if node else ""

    def _allowed(self, pid: str, filters: SearchFilters | None) -> bool:
        if filters is None:
            return True
        props = self._g.nodes[pid]["props"]
        return not (filters.doc_ids is not None and props["doc_id"] not in filters.doc_ids)

    def vector_search(self, embedding: list[float], k: int, filters: SearchFilters | None = None) -> list[PassageHit]:
        with self._lock:
            ids, matrix = self._dense_index()
            if not ids:
                return []
            scores = matrix @ _normalise(embedding)
            order = np.argsort(-scores, kind="stable")
            return self._hits(ids, order, scores, k, filters)

    def keyword_search(self, tokens: list[str], k: int, filters: SearchFilters | None = None) -> list[PassageHit]:
        with self._lock:
            ids, retriever = self._keyword_index()
            if retriever is None or not tokens:
                return []
            vocab = retriever.vocab_dict
            known = [t for t in tokens if t in vocab]
            if not known:
                return []
            scores = retriever.get_scores(known)
            order = np.argsort(-scores, kind="stable")
            return self._hits(ids, order, scores, k, filters, positive_only=True)

    def _hits(
        self,
        ids: list[str],
        order: np.ndarray,
        scores: np.ndarray,
        k: int,
        filters: SearchFilters | None,
        positive_only: bool = False,
    ) -> list[PassageHit]:
        hits: list[PassageHit] = []
        for i in order:
            if len(hits) >= k:
                break
            score = float(scores[i])
            if positive_only and score <= 0:
                break
            pid = ids[int(i)]
            if not self._allowed(pid, filters):
                continue
            p = self._passage(pid)
            hits.append(PassageHit(passage=p, document_title=self._title(p.doc_id), score=score, rank=len(hits) + 1))
        return hits

    def _passage_ids(self) -> list[str]:
        # Sorted by id so that ties break the same way on every backend and every run.
        return sorted(n for n, a in self._g.nodes(data=True) if a["label"] == "Passage")

    def _dense_index(self) -> tuple[list[str], np.ndarray]:
        if self._dense is None:
            ids = [p for p in self._passage_ids() if p in self._vectors]
            matrix = np.stack([self._vectors[p] for p in ids]) if ids else np.zeros((0, 0), np.float32)
            self._dense = (ids, matrix)
        return self._dense

    def _keyword_index(self) -> tuple[list[str], bm25s.BM25 | None]:
        if self._bm25 is None:
            ids = self._passage_ids()
            if not ids:
                self._bm25 = (ids, None)
            else:
                corpus = [tokenize(str(self._g.nodes[p]["props"]["text"])) or [""] for p in ids]
                retriever = bm25s.BM25()
                retriever.index(corpus, show_progress=False)
                self._bm25 = (ids, retriever)
        return self._bm25

    def _invalidate(self) -> None:
        self._dense = None
        self._bm25 = None

    def stats(self) -> StoreStats:
        with self._lock:
            nodes: dict[str, int] = {}
            for _, attrs in self._g.nodes(data=True):
                nodes[attrs["label"]] = nodes.get(attrs["label"], 0) + 1
            rels: dict[str, int] = {}
            for _, _, key in self._g.edges(keys=True):
                rels[key] = rels.get(key, 0) + 1
            return StoreStats(nodes=nodes, relationships=rels)

    # -- persistence -----------------------------------------------------------------------
    def _save(self) -> None:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        graph_json = json.dumps(
            {
                "format": _FORMAT,
                "nodes": [{"id": n, **a} for n, a in self._g.nodes(data=True)],
                "edges": [
                    {"source": u, "target": v, "type": k, **a} for u, v, k, a in self._g.edges(keys=True, data=True)
                ],
            },
            ensure_ascii=False,
        )
        ids = sorted(self._vectors)
        buf = io.BytesIO()
        np.save(buf, np.stack([self._vectors[i] for i in ids]) if ids else np.zeros((0, 0), np.float32))
        fd, tmp = tempfile.mkstemp(prefix=".graph-", suffix=".tmp", dir=self._path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED) as zf:
                    zf.writestr("graph.json", graph_json)
                    zf.writestr("vector_ids.json", json.dumps(ids, ensure_ascii=False))
                    zf.writestr("vectors.npy", buf.getvalue())
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self._path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def _load(self) -> None:
        try:
            with zipfile.ZipFile(self._path) as zf:
                data = json.loads(zf.read("graph.json"))
                ids = json.loads(zf.read("vector_ids.json"))
                matrix = np.load(io.BytesIO(zf.read("vectors.npy")))
        except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
            raise StoreCorrupt(f"cannot read {self._path}: {exc}") from exc
        g: nx.MultiDiGraph = nx.MultiDiGraph()
        for node in data["nodes"]:
            nid = node.pop("id")
            g.add_node(nid, **node)
        for edge in data["edges"]:
            g.add_edge(edge.pop("source"), edge.pop("target"), key=edge.pop("type"), **edge)
        self._g = g
        self._vectors = {i: matrix[n] for n, i in enumerate(ids)}
        self._invalidate()


def _normalise(vec: list[float] | np.ndarray) -> np.ndarray:
    arr = np.asarray(vec, dtype=np.float32)
    norm = float(np.linalg.norm(arr))
    return arr / norm if norm > 0 else arr
