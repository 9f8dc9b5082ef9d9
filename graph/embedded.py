"""Embedded backend: no server needed; the default store. Everything lives in the data folder:

- graph.db — SQLite (graph.persistence): nodes, relationships, passages and their tokens; every write
  one transaction, so a crash leaves each document whole or absent;
- vectors.f32 — the passage vectors, float32, appended (graph.vector_index), exact search, and an
  HNSW index (index/ann.*) once the store is large;
- index/keyword/ — saved segments of the BM25 index (graph.keyword_index), a cache of what SQLite holds.

Engines chosen by measurement (scripts/bench_embedded_engines.py). In memory: the keyword index's
segments, the documents and entities (graph.embedded_catalogue), and the path graph once paths() is
asked. A write updates each in place: nothing is re-saved or rebuilt whole.

A second process writing the same folder is noticed (SQLite's data_version) and the in-memory state is
reloaded. The Tokenizer the store is given (default: a new one of its own) segments passages and
queries; the names it knows are recorded with the index, and passages that contain a name it learns
later are re-tokenised, so what is indexed does not depend on the order documents arrived.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from graph import nx_queries as nxq
from graph.embedded_catalogue import Catalogue
from graph.embedded_migrate import migrate_zip
from graph.errors import GraphError, NotSupported, StoreUnavailable
from graph.export import to_graphml
from graph.keyword_index import KeywordIndex, encode_terms
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
from graph.persistence import FILE, Changes, Database, NewPassage, Txn
from graph.store import Direction, check_document_query
from graph.text import Tokenizer
from graph.tokens_reconcile import TokenReconciler
from graph.vector_index import VectorIndex
from graph.vectors import normalise

STATE_FILE = FILE
INDEX_DIR = "index"


@dataclass
class _Prepared:
    """A document's passages made ready outside the lock: tokens and vectors."""

    version: str
    terms: list[bytes]
    lengths: list[int]
    vectors: np.ndarray | None  # (passages, dim), zero rows where a passage has none
    has_vector: list[bool]


class EmbeddedStore:
    name = "embedded"

    def __init__(self, data_dir: Path, tokenizer: Tokenizer | None = None) -> None:
        self._dir = Path(data_dir)
        self._tokenizer = tokenizer or Tokenizer()
        self._lock = threading.RLock()
        self._db = Database(self._dir / FILE)
        self._keywords = KeywordIndex(self._dir / INDEX_DIR / "keyword")
        self._vectors = VectorIndex(self._dir)
        self._catalogue = Catalogue()
        self._paths = nxq.PathGraph(self._db)
        self._tokens = TokenReconciler(self._db, self._tokenizer)
        self._data_version = -1
        self._revision = 0  # the revision the in-memory state reflects
        self._tail = 0
        self._started = False

    @property
    def tokenizer(self) -> Tokenizer:
        return self._tokenizer

    # -- lifecycle -------------------------------------------------------------------------------------
    def start(self) -> None:
        with self._lock:
            self._db.open()
            try:
                migrate_zip(self._dir, self._db, self._tokenizer, self._vectors)
                self._load()
            except BaseException:
                self._db.close()
                raise
            self._started = True

    def close(self) -> None:
        with self._lock:
            if not self._started:
                return
            self._started = False
            self._keywords.save(self._revision)
            self._vectors.close()
            self._db.close()

    def ping(self) -> None:
        if not self._started:
            raise StoreUnavailable("embedded store not started")

    def _load(self) -> None:
        """Build the in-memory state from SQLite (and the saved index files), from one snapshot."""
        db = self._db
        with db.snapshot():
            self._load_snapshot()
        if self._tail > 10_000:  # saved index files lagged far behind (a crash, or another process)
            self._keywords.save(self._revision)

    def _load_snapshot(self) -> None:
        db = self._db
        self._revision = db.revision()
        self._catalogue.load(db)
        table = np.array(db.passage_table(), dtype=np.int64).reshape(-1, 4)  # row, length, has_vector, tok_rev
        rows, lengths, has_vector = table[:, 0], table[:, 1], table[:, 2].astype(bool)
        keywords = KeywordIndex(self._dir / INDEX_DIR / "keyword")
        covered = keywords.load_files()
        if covered > self._revision:  # files from another store's history, or ahead of this snapshot
            keywords = KeywordIndex(self._dir / INDEX_DIR / "keyword")
            covered = 0
        keywords.set_rows(rows[lengths > 0], lengths[lengths > 0])
        tail = db.passage_terms_since(covered)
        keywords.add([r for r, _, _ in tail], [t for _, t, _ in tail], [n for _, _, n in tail])
        keywords.compact()
        self._keywords = keywords
        self._vectors.close()
        self._vectors = VectorIndex(self._dir)
        self._vectors.open(int(db.meta("dim", "0")), int(db.meta("next_row", "0")), rows[has_vector])
        self._paths = nxq.PathGraph(db)
        self._tokens = TokenReconciler(db, self._tokenizer)
        self._tokens.load()
        self._data_version = db.data_version()
        self._tail = len(tail)

    def _sync(self) -> None:
        """Reload when another process has committed to the same database."""
        if not self._started:
            raise StoreUnavailable("embedded store not started")
        if self._db.data_version() != self._data_version:
            self._load()

    # -- writes ----------------------------------------------------------------------------------------
    @contextmanager
    def _writing(self) -> Iterator[Txn]:
        """A write: under the store lock and SQLite's write lock, on the latest state (another process may
        have committed), with the passages that hold newly learnt names re-tokenised in the same
        transaction; the in-memory indexes follow once it has committed."""
        with self._lock:
            if not self._started:
                raise StoreUnavailable("embedded store not started")
            with self._db.transaction() as txn:
                self._sync()
                plan = self._tokens.pending(self._keywords)
                if plan is not None:
                    self._tokens.rewrite(txn, plan)
                yield txn
            if plan is not None:
                self._tokens.done(plan)
                redo = plan.redo
                self._keywords.add([r for r, _, _ in redo], [t for _, t, _ in redo], [n for _, _, n in redo])
            self._apply(txn.changes)

    def upsert_document(self, bundle: DocumentBundle) -> None:
        prepared = self._prepare(bundle.passages)
        with self._writing() as txn:
            if prepared.version != self._tokenizer.version:  # taught a name meanwhile
                prepared = self._prepare(bundle.passages)
            doc = bundle.document
            origin = doc.id
            ids = [doc.id, *(s.id for s in bundle.sections), *(p.id for p in bundle.passages)]
            txn.load_nodes([*ids, *(e.id for e in bundle.entities)])
            txn.release(origin)
            txn.add_node(doc.id, "Document", doc.model_dump(), origin)
            for s in bundle.sections:
                txn.add_node(s.id, "Section", s.model_dump(), origin)
                txn.add_rel(doc.id, "HAS_SECTION", s.id, None, {}, origin)
            self._add_passages(txn, bundle, prepared, origin)
            self._add_entities(txn, bundle.entities, bundle.relations, origin)

    def _prepare(self, passages: list[Passage]) -> _Prepared:
        """Tokens and vectors, made before the write so that the locks are held briefly."""
        version = self._tokenizer.version
        tokens = [self._tokenizer.search_tokens(p.text) for p in passages]
        dims = {len(p.embedding) for p in passages if p.embedding is not None}
        if len(dims) > 1:
            raise GraphError(f"a document's embeddings have {sorted(dims)} dimensions")
        matrix = None
        if dims:
            matrix = np.zeros((len(passages), dims.pop()), np.float32)
            for i, p in enumerate(passages):
                if p.embedding is not None:
                    matrix[i] = normalise(p.embedding)
        return _Prepared(
            version,
            [encode_terms(t) for t in tokens],
            [len(t) for t in tokens],
            matrix,
            [p.embedding is not None for p in passages],
        )

    def _add_passages(self, txn: Txn, bundle: DocumentBundle, prepared: _Prepared, origin: str) -> None:
        doc_id = bundle.document.id
        first = int(self._db.meta("next_row", "0"))
        if prepared.vectors is not None:
            self._vectors.write(first, prepared.vectors)  # durable before the commit that refers to it
            txn.set_meta("dim", self._vectors.dim)
        for i, p in enumerate(bundle.passages):
            txn.add_node(p.id, "Passage", p.model_dump(exclude={"embedding"}), origin)
            txn.add_rel(doc_id, "HAS_PASSAGE", p.id, None, {}, origin)
            row = NewPassage(
                p.id, first + i, p.doc_id, p.section_path or "", prepared.has_vector[i], prepared.lengths[i],
                prepared.terms[i],
            )  # fmt: skip
            txn.add_passage(row)
        txn.set_meta("next_row", first + len(bundle.passages))

    @staticmethod
    def _add_entities(txn: Txn, entities: list[Entity], relations: list[Relation], origin: str) -> None:
        txn.load_nodes([e.id for e in entities] + [end for r in relations for end in (r.source, r.target)])
        for e in entities:
            txn.add_node(e.id, e.label, {**e.properties, "name": e.name}, origin)
        for r in relations:
            txn.add_rel(r.source, r.type, r.target, r.evidence, r.properties, origin)

    def upsert_entities(self, entities: list[Entity], relations: list[Relation], origin: str) -> None:
        with self._writing() as txn:
            self._add_entities(txn, entities, relations, origin)

    def replace_origin(self, entities: list[Entity], relations: list[Relation], origin: str) -> None:
        with self._writing() as txn:
            txn.release(origin)
            self._add_entities(txn, entities, relations, origin)

    def delete_document(self, doc_id: str) -> bool:
        with self._lock:
            self._sync()
            if doc_id not in self._catalogue.documents:
                return False
            with self._writing() as txn:
                txn.release(doc_id)
            return True

    def delete_origin(self, origin: str) -> None:
        with self._lock:
            self._sync()
            if not self._db.has_origin(origin):
                return
            with self._writing() as txn:
                txn.release(origin)

    def _apply(self, changes: Changes) -> None:
        """After a commit: bring the in-memory indexes and caches to the new state."""
        self._catalogue.apply(changes)
        gone = [n for n, row in changes.nodes.items() if row is None]
        self._paths.apply(changes.rels_added, changes.rels_removed, gone)
        self._keywords.remove(changes.rows_removed)
        new = changes.passages
        self._keywords.add([p.row for p in new], [p.terms for p in new], [p.length for p in new])
        self._vectors.commit(
            int(self._db.meta("next_row", "0")),
            np.array([p.row for p in new if p.has_vector], np.int64),
            np.array(changes.rows_removed, np.int64),
        )
        self._revision = changes.revision
        self._keywords.maintain(self._revision)
        self._vectors.maintain()

    def _reconcile(self) -> None:
        """Before a keyword search: re-tokenise the passages holding names the tokenizer learnt since."""
        if self._tokens.up_to_date():
            return
        with self._writing():
            pass

    # -- reads -----------------------------------------------------------------------------------------
    def revision(self) -> int:
        with self._lock:
            self._sync()
            return self._db.revision()

    def get_document_by_sha(self, sha256: str) -> Document | None:
        with self._lock:
            self._sync()
            same = self._catalogue.documents_with("sha256", sha256)  # as list_documents orders them
            return same[0].model_copy(deep=True) if same else None

    def find_documents(self, *, work: str | None = None, text_sha256: str | None = None) -> list[Document]:
        check_document_query(work, text_sha256)
        with self._lock:
            self._sync()
            if work is not None:
                found = self._catalogue.documents_with("work", work)
                found = [d for d in found if text_sha256 is None or d.text_sha256 == text_sha256]
            else:
                found = self._catalogue.documents_with("text_sha256", text_sha256 or "")
            return [d.model_copy(deep=True) for d in found]

    def get_document(self, doc_id: str) -> Document | None:
        with self._lock:
            self._sync()
            doc = self._catalogue.documents.get(doc_id)
            return doc.model_copy(deep=True) if doc else None

    def list_documents(self) -> list[Document]:
        with self._lock:
            self._sync()
            docs = [d.model_copy(deep=True) for d in self._catalogue.documents.values()]
        return sorted(docs, key=lambda d: (d.title, d.id))

    def get_node(self, node_id: str) -> Node | None:
        return self.get_nodes([node_id]).get(node_id)

    def get_nodes(self, ids: list[str]) -> dict[str, Node]:
        with self._lock:
            self._sync()
            return {i: nxq.to_node(i, row) for i, row in self._db.nodes(ids).items()}

    def find_entities(self, q: str, label: str | None = None, limit: int = 20) -> list[Node]:
        with self._lock:
            self._sync()
            return self._catalogue.find_entities(q, label, limit)

    def edges_of(self, node_id: str, rel_types: list[str] | None = None, direction: Direction = "both") -> list[Edge]:
        with self._lock:
            self._sync()
            return nxq.edges_of(self._db, node_id, rel_types, direction)

    def edges_of_many(
        self, node_ids: list[str], rel_types: list[str] | None = None, direction: Direction = "both"
    ) -> dict[str, list[Edge]]:
        with self._lock:
            self._sync()
            return nxq.edges_of_many(self._db, node_ids, rel_types, direction)

    def neighbors(
        self,
        node_id: str,
        depth: int = 1,
        labels: list[str] | None = None,
        rel_types: list[str] | None = None,
        limit: int = 200,
    ) -> Subgraph:
        with self._lock:
            self._sync()
            return nxq.neighbors(self._db, node_id, depth, labels, rel_types, limit)

    def paths(self, source: str, target: str, max_hops: int = 4, limit: int = 10) -> list[GraphPath]:
        with self._lock:
            self._sync()
            return nxq.paths(self._db, self._paths, source, target, max_hops, limit)

    def vector_search(self, embedding: list[float], k: int, filters: SearchFilters | None = None) -> list[PassageHit]:
        query = normalise(embedding)
        with self._lock:
            self._sync()
            allowed = self._allowed(filters)
            if allowed is not None and not allowed.any():
                return []
            return self._hits(self._vectors.search(query, k, allowed), k)

    def keyword_search(self, tokens: list[str], k: int, filters: SearchFilters | None = None) -> list[PassageHit]:
        with self._lock:
            self._reconcile()
            self._sync()
            allowed = self._allowed(filters)
            if allowed is not None and not allowed.any():
                return []
            return self._hits(self._keywords.top(tokens, k, allowed), k)

    def _allowed(self, filters: SearchFilters | None) -> np.ndarray | None:
        """The rows a filtered search may return (a mask); None when nothing is filtered."""
        if filters is None:
            return None
        db = self._db
        sets: list[set[int]] = []
        if filters.doc_ids is not None:
            sets.append(set(db.passage_rows("doc_id", filters.doc_ids)))
        if filters.section_prefix is not None:
            sets.append(set(db.passage_rows_under(filters.section_prefix)))
        if filters.issuers is not None:
            sets.append(set(db.passage_rows("doc_id", sorted(self._documents_issued_by(set(filters.issuers))))))
        if filters.entity_ids is not None:
            sets.append(set(db.passage_rows("id", sorted(self._evidence_of(filters.entity_ids)))))
        if not sets:
            return None
        rows = set.intersection(*sets)
        mask = np.zeros(int(db.meta("next_row", "0")) + 1, bool)
        mask[list(rows)] = True
        return mask

    def _documents_issued_by(self, issuers: set[str]) -> set[str]:
        docs = {d.id for d in self._catalogue.documents.values() if issuers.intersection(d.issuers)}
        targets = sorted(issuers | self._catalogue.ids_named(issuers))
        for (source, _t, _d), _row in self._db.rels_at(targets, outgoing=False):
            if _t == "ISSUED_BY" and source in self._catalogue.documents:
                docs.add(source)
        return docs

    def _evidence_of(self, entity_ids: list[str]) -> set[str]:
        """Passages linked to one of the entities directly or cited as evidence of a relation touching it."""
        found: set[str] = set()
        for outgoing in (True, False):
            for (source, _t, target), row in self._db.rels_at(entity_ids, outgoing):
                found.add(target if outgoing else source)
                found.update(row.evidence)
        return found

    def _hits(self, ranked: list[tuple[int, float]], k: int) -> list[PassageHit]:
        """Rows best first (with ties past k) → hits; ties rank by passage id, as on Neo4j."""
        if not ranked:
            return []
        if len(ranked) <= 2 * k:  # few ties past k: one query
            found = self._db.passages_at([r for r, _ in ranked])
            ids = {row: pid for row, (pid, _) in found.items()}
        else:  # many: order them by id first, read only the k kept
            ids = self._db.passage_ids([r for r, _ in ranked])
        order = sorted(((-score, ids[row], row) for row, score in ranked if row in ids))[:k]
        if len(ranked) > 2 * k:
            found = self._db.passages_at([row for _, _, row in order])
        hits: list[PassageHit] = []
        for neg, pid, row in order:
            props: dict[str, Any] = found[row][1]
            passage = Passage(id=pid, **props)
            doc = self._catalogue.documents.get(passage.doc_id)
            hits.append(PassageHit(passage=passage, document_title=doc.title if doc else "", score=-neg,
                                   rank=len(hits) + 1))  # fmt: skip
        return hits

    def stats(self) -> StoreStats:
        with self._lock:
            self._sync()
            c = self._catalogue
            return StoreStats(
                nodes={k: v for k, v in c.node_counts.items() if v > 0},
                relationships={k: v for k, v in c.rel_counts.items() if v > 0},
            )

    def export_json(self, labels: list[str] | None = None) -> Subgraph:
        with self._lock:
            self._sync()
            return nxq.export(self._db, labels)

    def export_graphml(self, labels: list[str] | None = None) -> str:
        return to_graphml(self.export_json(labels))

    def cypher_read(self, query: str, params: dict[str, PropertyValue]) -> list[dict[str, Any]]:
        raise NotSupported(
            "Cypher queries need the Neo4j store (set CHUYI_STORE=neo4j); the embedded store answers the "
            "graph through the entity, neighbour and path endpoints instead"
        )
