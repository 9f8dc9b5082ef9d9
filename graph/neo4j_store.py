"""Neo4j backend. Same schema and behaviour as the embedded store; Cypher comes from graph.cypher."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from neo4j import Driver, GraphDatabase, ManagedTransaction
from neo4j.exceptions import AuthError, ServiceUnavailable, SessionExpired

from graph import cypher
from graph.errors import StoreUnavailable
from graph.models import (
    Document,
    DocumentBundle,
    Node,
    Passage,
    PassageHit,
    SearchFilters,
    StoreStats,
)
from graph.text import tokenize

_BATCH = 500
_UNAVAILABLE = (ServiceUnavailable, SessionExpired, AuthError, OSError)


class Neo4jStore:
    name = "neo4j"

    def __init__(self, uri: str, user: str, password: str, database: str | None = None) -> None:
        self._uri = uri
        self._auth = (user, password)
        self._database = database
        self._driver: Driver | None = None

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> None:
        try:
            self._driver = GraphDatabase.driver(self._uri, auth=self._auth)
            self._driver.verify_connectivity()
            with self._session() as session:
                for statement in cypher.SCHEMA:
                    session.run(statement).consume()
                session.run(cypher.AWAIT_INDEXES).consume()
        except _UNAVAILABLE as exc:
            self.close()
            raise StoreUnavailable(f"Neo4j at {self._uri} is unreachable: {exc}") from exc

    def close(self) -> None:
        if self._driver is not None:
            self._driver.close()
            self._driver = None

    def ping(self) -> None:
        self._read(cypher.PING)

    def _session(self) -> Any:
        if self._driver is None:
            raise StoreUnavailable("Neo4j store not started")
        return self._driver.session(database=self._database)

    def _read(self, statement: str, **params: Any) -> list[Any]:
        try:
            with self._session() as session:
                return list(session.execute_read(lambda tx: list(tx.run(statement, parameters=params))))
        except _UNAVAILABLE as exc:
            raise StoreUnavailable(f"Neo4j at {self._uri} is unreachable: {exc}") from exc

    def _write(self, work: Any) -> Any:
        try:
            with self._session() as session:
                return session.execute_write(work)
        except _UNAVAILABLE as exc:
            raise StoreUnavailable(f"Neo4j at {self._uri} is unreachable: {exc}") from exc

    # -- writes ----------------------------------------------------------------------------
    def upsert_document(self, bundle: DocumentBundle) -> None:
        doc = bundle.document
        origin = doc.id
        by_label: dict[str, list[dict[str, Any]]] = defaultdict(list)
        by_label["Document"].append({"id": doc.id, "props": doc.model_dump(exclude={"id"})})
        for s in bundle.sections:
            by_label["Section"].append({"id": s.id, "props": s.model_dump(exclude={"id"})})
        embeddings = []
        for p in bundle.passages:
            props = p.model_dump(exclude={"id", "embedding"})
            props["tokens"] = " ".join(tokenize(p.text))
            by_label["Passage"].append({"id": p.id, "props": props})
            if p.embedding is not None:
                embeddings.append({"id": p.id, "embedding": p.embedding})
        for e in bundle.entities:
            by_label[e.label].append({"id": e.id, "props": {"name": e.name, **e.properties}})
        by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for s in bundle.sections:
            by_type["HAS_SECTION"].append(_rel(doc.id, s.id))
        for p in bundle.passages:
            by_type["HAS_PASSAGE"].append(_rel(doc.id, p.id))
        for r in bundle.relations:
            by_type[r.type].append(_rel(r.source, r.target, r.evidence, dict(r.properties)))

        def work(tx: ManagedTransaction) -> None:
            tx.run(cypher.RELEASE_RELATIONSHIPS, doc_id=origin).consume()
            tx.run(cypher.RELEASE_NODES, doc_id=origin).consume()
            for label, rows in by_label.items():
                for chunk in _chunks(rows):
                    tx.run(cypher.merge_nodes(label), rows=chunk, origin=origin).consume()
            for chunk in _chunks(embeddings):
                tx.run(cypher.SET_EMBEDDINGS, rows=chunk).consume()
            for rel_type, rows in by_type.items():
                for chunk in _chunks(rows):
                    tx.run(cypher.merge_relationships(rel_type), rows=chunk, origin=origin).consume()

        self._write(work)

    def delete_document(self, doc_id: str) -> bool:
        def work(tx: ManagedTransaction) -> bool:
            if tx.run(cypher.DOCUMENT_EXISTS, doc_id=doc_id).single(strict=True)["n"] == 0:
                return False
            tx.run(cypher.RELEASE_RELATIONSHIPS, doc_id=doc_id).consume()
            tx.run(cypher.RELEASE_NODES, doc_id=doc_id).consume()
            return True

        return bool(self._write(work))

    # -- reads -----------------------------------------------------------------------------
    def get_document_by_sha(self, sha256: str) -> Document | None:
        rows = self._read(cypher.DOCUMENT_BY_SHA, sha256=sha256)
        return _document(rows[0]["d"]) if rows else None

    def list_documents(self) -> list[Document]:
        return [_document(r["d"]) for r in self._read(cypher.LIST_DOCUMENTS)]

    def get_node(self, node_id: str) -> Node | None:
        rows = self._read(cypher.GET_NODE, id=node_id)
        if not rows:
            return None
        props = {k: v for k, v in dict(rows[0]["n"]).items() if k not in ("id", "origins", "embedding", "tokens")}
        return Node(id=node_id, label=rows[0]["label"], properties=props)

    def vector_search(self, embedding: list[float], k: int, filters: SearchFilters | None = None) -> list[PassageHit]:
        fetch = self._fetch_size(k, filters)
        if fetch == 0:
            return []
        rows = self._read(cypher.VECTOR_SEARCH, embedding=list(embedding), fetch=fetch, k=k, doc_ids=_doc_ids(filters))
        # Neo4j reports cosine similarity as (1 + cos) / 2; report plain cosine like the embedded store.
        return _hits(rows, lambda s: 2.0 * s - 1.0)

    def keyword_search(self, tokens: list[str], k: int, filters: SearchFilters | None = None) -> list[PassageHit]:
        query = " OR ".join(_lucene_term(t) for t in dict.fromkeys(tokens))
        fetch = self._fetch_size(k, filters)
        if not query or fetch == 0:
            return []
        rows = self._read(cypher.KEYWORD_SEARCH, query=query, fetch=fetch, k=k, doc_ids=_doc_ids(filters))
        return _hits(rows, lambda s: s)

    def _fetch_size(self, k: int, filters: SearchFilters | None) -> int:
        total = int(self._read(cypher.PASSAGE_COUNT)[0]["n"])
        # Index procedures filter after retrieval, so fetch everything when a filter may drop hits.
        return min(total, k if filters is None else total)

    def stats(self) -> StoreStats:
        nodes = {r["label"]: int(r["n"]) for r in self._read(cypher.NODE_COUNTS)}
        rels = {r["type"]: int(r["n"]) for r in self._read(cypher.REL_COUNTS)}
        return StoreStats(nodes=nodes, relationships=rels)


def _rel(source: str, target: str, evidence: str | None = None, props: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"source": source, "target": target, "evidence": evidence, "props": props or {}}


def _chunks(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    return [rows[i : i + _BATCH] for i in range(0, len(rows), _BATCH)]


def _document(node: Any) -> Document:
    return Document(**{k: v for k, v in dict(node).items() if k != "origins"})


def _doc_ids(filters: SearchFilters | None) -> list[str] | None:
    return filters.doc_ids if filters else None


def _hits(rows: list[Any], rescale: Any) -> list[PassageHit]:
    return [
        PassageHit(
            passage=Passage(**dict(r["passage"])),
            document_title=r["title"] or "",
            score=float(rescale(r["score"])),
            rank=i + 1,
        )
        for i, r in enumerate(rows)
    ]


_LUCENE_SPECIAL = set('+-&|!(){}[]^"~*?:\\/')


def _lucene_term(token: str) -> str:
    return "".join("\\" + c if c in _LUCENE_SPECIAL else c for c in token)
