"""Neo4j backend. Same schema and behaviour as the embedded store; Cypher comes from graph.cypher."""

from __future__ import annotations

import itertools
import logging
import math
import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from neo4j import (
    Driver,
    GraphDatabase,
    ManagedTransaction,
    NotificationDisabledClassification,
    RoutingControl,
    unit_of_work,
)
from neo4j.exceptions import (
    AuthError,
    ClientError,
    DatabaseError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

from graph import cypher
from graph.cypher_guard import check_read_only
from graph.errors import GraphError, InvalidQuery, NodeNotFound, QueryRefused, StoreUnavailable
from graph.export import to_graphml
from graph.models import (
    ENTITY_LABELS,
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
from graph.neo4j_convert import plain, to_document, to_edge, to_hits, to_node, to_ranked_hits
from graph.neo4j_schema import SchemaReport, ensure_schema
from graph.rules import assemble_paths, edge_key, sort_entity_matches
from graph.store import Direction, check_document_query
from graph.text import Tokenizer

_BATCH = 500
# TransientError: what the driver's retries did not get past, above all DatabaseUnavailable, which a server
# that is shutting down or still starting answers (seen when Neo4j was stopped mid-ingest: tests/faults/).
_UNAVAILABLE = (ServiceUnavailable, SessionExpired, TransientError, AuthError, OSError)
_CYPHER_TIMEOUT_S = 30.0
_CYPHER_MAX_ROWS = 10_000
_TIE_SLACK = 20

log = logging.getLogger(__name__)
_T = TypeVar("_T")


@dataclass(frozen=True)
class Neo4jTimeouts:
    """How long the driver may try before a request is told the store is unavailable (search_api.settings
    passes CHUYI_NEO4J_*). The driver's defaults (30 s to connect, 60 s to acquire, 30 s of transaction
    retries) made each request take 31-33 s to fail while Neo4j was down (issue 12). With these, a refused
    connection fails after one retry, about 1 s later (the driver waits 1 s, +-20%, before its first retry;
    scripts/bench_outage.py measures it)."""

    connection_s: float = 1.0  # TCP connect (and Bolt handshake) to the server
    acquisition_s: float = 2.0  # waiting for a pooled connection, connecting included
    retry_s: float = 0.5  # transaction retries after the first failure: one retry of a lost connection


class _SchemaGone(Exception):
    """A write found the database without its Meta node: it came back empty, so the schema is made again
    before anything is written (raised inside the transaction, which rolls it back)."""


class Neo4jStore:
    name = "neo4j"

    def __init__(
        self,
        uri: str,
        user: str,
        password: str,
        database: str | None = None,
        tokenizer: Tokenizer | None = None,
        *,
        timeouts: Neo4jTimeouts | None = None,
    ) -> None:
        self.tokenizer = tokenizer or Tokenizer()  # segments passages for the passage_tokens index
        self._uri = uri
        self._auth = (user, password)
        self._database = database
        self._timeouts = timeouts or Neo4jTimeouts()
        self._driver: Driver | None = None
        # The schema is checked at start and again only after the server was lost or an index was missing.
        self._schema_stale = True
        self._schema_lock = threading.Lock()
        self.last_schema_report: SchemaReport | None = None

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> None:
        try:
            # Our statements name labels and types from the closed schema (graph.models), some of which a
            # given database may not hold yet: the server's "does not exist" warnings say nothing then.
            self._driver = GraphDatabase.driver(
                self._uri,
                auth=self._auth,
                notifications_disabled_classifications=[NotificationDisabledClassification.UNRECOGNIZED],
                connection_timeout=self._timeouts.connection_s,
                connection_acquisition_timeout=self._timeouts.acquisition_s,
                max_transaction_retry_time=self._timeouts.retry_s,
            )
            self._driver.verify_connectivity()
            self._schema_stale = True
            self._ensure_schema(at_start=True)
        except _UNAVAILABLE as exc:
            self.close()
            raise StoreUnavailable(f"Neo4j at {self._uri} is unreachable: {exc}") from exc
        except GraphError:
            self.close()
            raise

    def close(self) -> None:
        if self._driver is not None:
            self._driver.close()
            self._driver = None

    def ping(self) -> None:
        self._read(cypher.PING)

    def driver_timeouts(self) -> dict[str, float]:
        """The timeouts the started driver took (read back from its configuration, which the driver keeps
        private), so a test can tell they reached it."""
        if self._driver is None:
            raise StoreUnavailable("Neo4j store not started")
        workspace = self._driver._default_workspace_config
        return {
            "connection_timeout": self._driver._pool.pool_config.connection_timeout,
            "connection_acquisition_timeout": workspace.connection_acquisition_timeout,
            "max_transaction_retry_time": workspace.max_transaction_retry_time,
        }

    def _session(self) -> Any:
        if self._driver is None:
            raise StoreUnavailable("Neo4j store not started")
        return self._driver.session(database=self._database)

    def _ensure_schema(self, at_start: bool = False) -> None:
        """Constraints and indexes, once after each (re)connect: SHOW says what is there, the rest is made."""
        with self._schema_lock:
            if not self._schema_stale:
                return
            with self._session() as session:
                report = ensure_schema(session)
            self._schema_stale = False
            self.last_schema_report = report
            if report.changed:
                # A new database gets its schema at start (news, not trouble); one that lost it while we ran,
                # or held duplicates, is worth a warning.
                level = logging.INFO if at_start and not report.removed_copies else logging.WARNING
                log.log(level, "Neo4j at %s: %s", self._uri, report.describe())

    def _unavailable(self, exc: Exception) -> StoreUnavailable:
        # Whatever comes back may be another database (restarted empty): check the schema before using it.
        self._schema_stale = True
        return StoreUnavailable(f"Neo4j at {self._uri} is unreachable: {exc}")

    def _healing(self, operation: Callable[[], _T]) -> _T:
        """Run `operation` on a database whose schema is known complete. After the server was lost, the schema
        is checked first; an index found missing (the database came back empty while we held connections)
        makes it be checked again and the operation run once more. Unavailability is not retried here: the
        driver has already retried within Neo4jTimeouts.retry_s, and a second round would only delay the 503."""
        try:
            if self._schema_stale:
                self._ensure_schema()
            try:
                return operation()
            except ClientError as exc:
                if not _schema_missing(exc):
                    raise
            except _SchemaGone:
                pass
            self._schema_stale = True
            self._ensure_schema()
            return operation()
        except _UNAVAILABLE as exc:
            raise self._unavailable(exc) from exc

    def _read(self, statement: str, **params: Any) -> list[Any]:
        # execute_query: a read transaction with the same retries as a session's execute_read, its BEGIN sent
        # with the query rather than one round trip ahead of it (about 1 ms a read, scripts/bench_peer.py).
        # No bookmark manager: like a fresh session, a read does not wait on the bookmarks of earlier reads.
        def run() -> list[Any]:
            if self._driver is None:
                raise StoreUnavailable("Neo4j store not started")
            return self._driver.execute_query(
                statement,
                parameters_=params,
                routing_=RoutingControl.READ,
                database_=self._database,
                bookmark_manager_=None,
            ).records

        return self._healing(run)

    def _write(self, work: Callable[[ManagedTransaction], _T]) -> _T:
        # A database without its Meta node is new or came back empty: its first write is rolled back and runs
        # again once the schema has been checked (the uniqueness constraints above all: without them two
        # concurrent MERGEs can make two nodes of one id). A read of one node, not a schema check per write.
        attempts = 0

        def guarded(tx: ManagedTransaction) -> _T:
            if attempts == 1 and _revision(tx) == 0:
                raise _SchemaGone
            return work(tx)

        def run() -> _T:
            nonlocal attempts
            attempts += 1
            with self._session() as session:
                return session.execute_write(guarded)

        return self._healing(run)

    # -- writes ----------------------------------------------------------------------------
    def upsert_document(self, bundle: DocumentBundle) -> None:
        doc = bundle.document
        by_label: dict[str, list[dict[str, Any]]] = defaultdict(list)
        by_label["Document"].append({"id": doc.id, "props": doc.model_dump(exclude={"id"})})
        for s in bundle.sections:
            by_label["Section"].append({"id": s.id, "props": s.model_dump(exclude={"id"})})
        embeddings = []
        for p in bundle.passages:
            props = p.model_dump(exclude={"id", "embedding"})
            props["tokens"] = " ".join(self.tokenizer.search_tokens(p.text))
            by_label["Passage"].append({"id": p.id, "props": props})
            if p.embedding is not None:
                embeddings.append({"id": p.id, "embedding": p.embedding})
        by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for s in bundle.sections:
            by_type["HAS_SECTION"].append(_rel(doc.id, s.id))
        for p in bundle.passages:
            by_type["HAS_PASSAGE"].append(_rel(doc.id, p.id))
        _group_entities(bundle.entities, bundle.relations, by_label, by_type)

        def work(tx: ManagedTransaction) -> None:
            _bump_revision(tx)
            _release(tx, doc.id)
            _merge_all(tx, by_label, by_type, doc.id, embeddings)

        self._write(work)

    def upsert_entities(self, entities: list[Entity], relations: list[Relation], origin: str) -> None:
        by_label, by_type = _entity_rows(entities, relations)

        def work(tx: ManagedTransaction) -> None:
            _bump_revision(tx)
            _merge_all(tx, by_label, by_type, origin, [])

        self._write(work)

    def replace_origin(self, entities: list[Entity], relations: list[Relation], origin: str) -> None:
        by_label, by_type = _entity_rows(entities, relations)

        def work(tx: ManagedTransaction) -> None:
            _bump_revision(tx)
            _release(tx, origin, entities, relations)
            _merge_all(tx, by_label, by_type, origin, [])

        self._write(work)

    def delete_document(self, doc_id: str) -> bool:
        def work(tx: ManagedTransaction) -> bool:
            if tx.run(cypher.DOCUMENT_EXISTS, doc_id=doc_id).single(strict=True)["n"] == 0:
                return False
            _bump_revision(tx)
            _release(tx, doc_id)
            return True

        return bool(self._write(work))

    def delete_origin(self, origin: str) -> None:
        def work(tx: ManagedTransaction) -> None:
            # Deleting an origin nothing carries is no write: the revision (and every cache keyed on it) stays.
            query = origin_term(origin)
            if tx.run(cypher.ORIGIN_EXISTS, origin=origin, origin_query=query).single(strict=True)["n"] == 0:
                return
            _bump_revision(tx)
            _release(tx, origin)

        self._write(work)

    # -- reads -----------------------------------------------------------------------------
    def revision(self) -> int:
        return int(self._read(cypher.REVISION, meta_id=cypher.META_ID)[0]["revision"])

    def get_document(self, doc_id: str) -> Document | None:
        rows = self._read(cypher.GET_DOCUMENT, doc_id=doc_id)
        return to_document(rows[0]["d"]) if rows else None

    def get_nodes(self, ids: list[str]) -> dict[str, Node]:
        return self._nodes(list(dict.fromkeys(ids))) if ids else {}

    def get_document_by_sha(self, sha256: str) -> Document | None:
        rows = self._read(cypher.DOCUMENT_BY_SHA, sha256=sha256)
        return to_document(rows[0]["d"]) if rows else None

    def list_documents(self) -> list[Document]:
        docs = [to_document(r["d"]) for r in self._read(cypher.LIST_DOCUMENTS)]
        return sorted(docs, key=lambda d: (d.title, d.id))

    def find_documents(self, *, work: str | None = None, text_sha256: str | None = None) -> list[Document]:
        check_document_query(work, text_sha256)
        if work is not None:
            rows = self._read(cypher.DOCUMENTS_OF_WORK, work=work)
        else:
            rows = self._read(cypher.DOCUMENTS_WITH_TEXT, text_sha256=text_sha256)
        docs = [to_document(r["d"]) for r in rows]
        docs = [d for d in docs if text_sha256 is None or d.text_sha256 == text_sha256]
        return sorted(docs, key=lambda d: (d.title, d.id))

    def get_node(self, node_id: str) -> Node | None:
        rows = self._read(cypher.GET_NODE, id=node_id)
        return to_node(rows[0]["n"], rows[0]["label"]) if rows else None

    def _require(self, *node_ids: str) -> None:
        found = {r["n"]["id"] for r in self._read(cypher.NODES_BY_ID, ids=list(node_ids))}
        for node_id in node_ids:
            if node_id not in found:
                raise NodeNotFound(node_id)

    def find_entities(self, q: str, label: str | None = None, limit: int = 20) -> list[Node]:
        labels = list(ENTITY_LABELS) if label is None else [label] if label in ENTITY_LABELS else []
        if not labels or limit <= 0:
            return []
        rows = self._read(cypher.FIND_ENTITIES, q=q.strip().lower(), labels=labels, limit=limit)
        return sort_entity_matches(q, (to_node(r["n"], r["label"]) for r in rows), limit)

    def edges_of(self, node_id: str, rel_types: list[str] | None = None, direction: Direction = "both") -> list[Edge]:
        self._require(node_id)
        statement = {"out": cypher.EDGES_OUT, "in": cypher.EDGES_IN, "both": cypher.EDGES_BOTH}[direction]
        edges = {edge_key(e): e for e in (to_edge(r) for r in self._read(statement, id=node_id, types=rel_types))}
        return sorted(edges.values(), key=edge_key)

    def edges_of_many(
        self, node_ids: list[str], rel_types: list[str] | None = None, direction: Direction = "both"
    ) -> dict[str, list[Edge]]:
        if not node_ids:
            return {}
        statement = {"out": cypher.EDGES_OUT_MANY, "in": cypher.EDGES_IN_MANY, "both": cypher.EDGES_BOTH_MANY}
        found: dict[str, dict[tuple[str, str, str], Edge]] = {}
        for row in self._read(statement[direction], ids=list(dict.fromkeys(node_ids)), types=rel_types):
            edges = found.setdefault(row["at"], {})
            if row["type"] is not None:  # a known node without relationships (the OPTIONAL MATCH's null)
                edge = to_edge(row)
                edges[edge_key(edge)] = edge
        return {node_id: sorted(edges.values(), key=edge_key) for node_id, edges in found.items()}

    def neighbors(
        self,
        node_id: str,
        depth: int = 1,
        labels: list[str] | None = None,
        rel_types: list[str] | None = None,
        limit: int = 200,
    ) -> Subgraph:
        self._require(node_id)
        order = [node_id]
        frontier = [node_id]
        for _ in range(max(depth, 0)):
            if len(order) - 1 >= limit or not frontier:
                break
            room = limit - (len(order) - 1)
            rows = self._read(
                cypher.NEIGHBOR_LEVEL, frontier=frontier, seen=order, types=rel_types, labels=labels, room=room
            )
            frontier = sorted(r["id"] for r in rows)
            order.extend(frontier)
        nodes = self._nodes(order)
        edges = [to_edge(r) for r in self._read(cypher.EDGES_AMONG, ids=order, types=rel_types)]
        return Subgraph(
            nodes=[nodes[n] for n in order], edges=sorted(edges, key=lambda e: (e.source, e.type, e.target))
        )

    def _nodes(self, ids: list[str]) -> dict[str, Node]:
        # A node deleted by a write committing while this read runs comes back without properties.
        rows = self._read(cypher.NODES_BY_ID, ids=ids)
        return {r["n"]["id"]: to_node(r["n"], r["label"]) for r in rows if r["n"].get("id") is not None}

    def paths(self, source: str, target: str, max_hops: int = 4, limit: int = 10) -> list[GraphPath]:
        self._require(source, target)
        if limit <= 0:
            return []
        if source == target:
            return [GraphPath(nodes=list(self._nodes([source]).values()), edges=[])]
        collected: list[list[str]] = []
        # Deepen one hop at a time, so a graph with many short paths is never expanded further.
        for hops in range(1, min(max_hops, cypher.MAX_PATH_HOPS) + 1):
            rows = self._read(cypher.paths_of_length(hops), source=source, target=target, limit=limit)
            collected.extend(list(r["ids"]) for r in rows)
            if len(collected) >= limit:
                break
        pairs = sorted({tuple(sorted(pair)) for p in collected for pair in itertools.pairwise(p)})
        edges = [to_edge(r) for r in self._read(cypher.EDGES_BETWEEN_PAIRS, pairs=[list(p) for p in pairs])]
        nodes = self._nodes(sorted({n for p in collected for n in p}))
        return assemble_paths(collected, nodes, edges, limit)

    def vector_search(self, embedding: list[float], k: int, filters: SearchFilters | None = None) -> list[PassageHit]:
        if k <= 0:
            return []
        allowed = self._allowed(filters)
        if allowed is None:
            # The HNSW index returns an arbitrary one of equal scores at its cut-off; fetching a few more and
            # cutting here (score, then id) ranks the way the exact embedded index does. The query's cost
            # grows with what it fetches (on the 1,234 passages of scripts/bench_peer.py, right after their
            # ingest: 5 rows 8 ms, 70 rows 18 ms; on a restarted server 3 and 4 ms), so no more than the
            # ties need.
            rows = self._read(
                cypher.VECTOR_SEARCH, embedding=list(embedding), fetch=_vector_fetch(k), k=k, allowed=None
            )
        else:
            rows = self._read(cypher.VECTOR_SEARCH_EXACT, embedding=list(embedding), k=k, allowed=allowed)
        return to_hits(rows, cosine=True)

    def search_lists(
        self,
        embedding: list[float] | None,
        keyword_tokens: list[list[str]],
        k: int,
        filters: SearchFilters | None = None,
    ) -> tuple[list[PassageHit], list[list[PassageHit]]]:
        """graph.store.ListsInOneRead: what vector_search and keyword_search answer, unfiltered in one statement
        that reads each passage once however many lists name it (a round trip and a transaction per list
        fewer; docs/benchmarks.md, "Our Neo4j search beside neo4j-graphrag")."""
        queries = [_lucene_query(tokens) for tokens in keyword_tokens]
        if filters is not None or k <= 0:  # a filter reads its passages first: the lists one by one, as before
            dense = self.vector_search(embedding, k, filters) if embedding is not None else []
            return dense, [self.keyword_search(tokens, k, filters) for tokens in keyword_tokens]
        asked = [q for q in queries if q]
        if embedding is None and not asked:
            return [], [[] for _ in queries]
        row = self._read(
            cypher.SEARCH_LISTS,
            embedding=None if embedding is None else list(embedding),
            fetch=_vector_fetch(k),
            queries=asked,
            take=_keyword_take(k),
            k=k,
        )[0]
        passages = {r["passage"]["id"]: r for r in row["passages"]}
        dense = to_ranked_hits(row["dense"], passages, cosine=True)
        by_query = {asked[e["i"]]: to_ranked_hits(e["hits"], passages, cosine=False) for e in row["keyword"]}
        return dense, [by_query.get(q, []) if q else [] for q in queries]

    def keyword_search(self, tokens: list[str], k: int, filters: SearchFilters | None = None) -> list[PassageHit]:
        query = _lucene_query(tokens)
        if not query or k <= 0:
            return []
        allowed = self._allowed(filters)
        if allowed == []:
            return []
        take = _keyword_take(k)
        if allowed is None:
            rows = self._read(cypher.KEYWORD_SEARCH, query=query, fetch=take, k=k, allowed=None)
            return to_hits(rows, cosine=False)
        return to_hits(self._filtered_keyword_rows(query, k, take, allowed), cosine=False)

    def _filtered_keyword_rows(self, query: str, k: int, take: int, allowed: list[str]) -> list[dict[str, Any]]:
        """The best k allowed matches, exactly: the procedure filters only after retrieval, so read as deep as
        the allowed share suggests (twice the depth at which `take` of them would turn up if they were spread
        evenly), and deeper while a passage not yet read could still outrank the k-th (its score can be no
        higher than the last one read)."""
        total = self._passage_count()
        if total == 0:
            return []
        fetch = max(take, math.ceil(2 * take * total / len(allowed)))
        while fetch < total:
            result = self._read(cypher.KEYWORD_SEARCH_FILTERED, query=query, fetch=fetch, take=take, allowed=allowed)
            rows = sorted(result[0]["rows"], key=lambda r: (-r["score"], r["passage"]["id"]))[:k]
            if result[0]["fetched"] < fetch or (len(rows) == k and rows[-1]["score"] > result[0]["floor"]):
                return rows
            fetch *= 4
        # Every match, filtered as it streams by (cheaper than collecting them all first).
        return self._read(cypher.KEYWORD_SEARCH, query=query, fetch=total, k=k, allowed=allowed)

    def _passage_count(self) -> int:
        return int(self._read(cypher.PASSAGE_COUNT)[0]["n"])

    def _allowed(self, filters: SearchFilters | None) -> list[str] | None:
        """The passages a filtered search may return (sorted ids); None when nothing is filtered."""
        if filters is None:
            return None
        selections: list[set[str]] = []
        if filters.doc_ids is not None:
            selections.append(self._ids(cypher.PASSAGES_OF_DOCUMENTS, doc_ids=filters.doc_ids))
        if filters.issuers is not None:
            docs = sorted(self._ids(cypher.DOCUMENTS_ISSUED_BY, issuers=filters.issuers))
            selections.append(self._ids(cypher.PASSAGES_OF_DOCUMENTS, doc_ids=docs))
        if filters.section_prefix is not None:
            selections.append(self._ids(cypher.PASSAGES_UNDER_SECTION, section_prefix=filters.section_prefix))
        if filters.entity_ids is not None:
            selections.append(self._ids(cypher.PASSAGES_FOR_ENTITIES, entity_ids=filters.entity_ids))
        if not selections:
            return None
        return sorted(set.intersection(*selections))

    def _ids(self, statement: str, **params: Any) -> set[str]:
        return {r["id"] for r in self._read(statement, **params)}

    def stats(self) -> StoreStats:
        nodes = {r["label"]: int(r["n"]) for r in self._read(cypher.NODE_COUNTS) if r["n"]}
        rels = {r["type"]: int(r["n"]) for r in self._read(cypher.REL_COUNTS) if r["n"]}
        return StoreStats(nodes=nodes, relationships=rels)

    def export_json(self, labels: list[str] | None = None) -> Subgraph:
        nodes = [to_node(r["n"], r["label"]) for r in self._read(cypher.EXPORT_NODES, labels=labels)]
        edges = [to_edge(r) for r in self._read(cypher.EXPORT_EDGES, labels=labels)]
        return Subgraph(
            nodes=sorted(nodes, key=lambda n: n.id), edges=sorted(edges, key=lambda e: (e.source, e.type, e.target))
        )

    def export_graphml(self, labels: list[str] | None = None) -> str:
        return to_graphml(self.export_json(labels))

    def cypher_read(self, query: str, params: dict[str, PropertyValue]) -> list[dict[str, Any]]:
        check_read_only(query)

        @unit_of_work(timeout=_CYPHER_TIMEOUT_S)
        def work(tx: ManagedTransaction) -> list[dict[str, Any]]:
            result = tx.run(query, parameters=dict(params))
            return [{k: plain(v) for k, v in record.items()} for record in itertools.islice(result, _CYPHER_MAX_ROWS)]

        def run() -> list[dict[str, Any]]:
            with self._session() as session:
                rows: list[dict[str, Any]] = session.execute_read(work)
                return rows

        try:
            return self._healing(run)
        except ClientError as exc:
            if "AccessMode" in (exc.code or "") or "Forbidden" in (exc.code or ""):
                raise QueryRefused(f"the database refused a write in a read-only query: {exc.message}") from exc
            raise InvalidQuery(f"{exc.code}: {exc.message}") from exc
        except DatabaseError as exc:
            # Neo4j 5.26's parser fails inside on some nonsense (a lone `*`: "Index -1 out of bounds"):
            # the query, not the database, is at fault, and the database keeps serving.
            raise InvalidQuery(f"the database could not run this query: {exc.message}") from exc


def _rel(source: str, target: str, evidence: str | None = None, props: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"source": source, "target": target, "evidence": evidence, "props": props or {}}


def _entity_rows(
    entities: list[Entity], relations: list[Relation]
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, list[dict[str, Any]]]]:
    by_label: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    _group_entities(entities, relations, by_label, by_type)
    return by_label, by_type


def _group_entities(
    entities: list[Entity],
    relations: list[Relation],
    by_label: dict[str, list[dict[str, Any]]],
    by_type: dict[str, list[dict[str, Any]]],
) -> None:
    for e in entities:
        by_label[e.label].append({"id": e.id, "props": {**e.properties, "name": e.name}})
    for r in relations:
        by_type[r.type].append(_rel(r.source, r.target, r.evidence, dict(r.properties)))


def _bump_revision(tx: ManagedTransaction) -> None:
    tx.run(cypher.BUMP_REVISION, meta_id=cypher.META_ID).consume()


def _revision(tx: ManagedTransaction) -> int:
    return int(tx.run(cypher.REVISION, meta_id=cypher.META_ID).single(strict=True)["revision"])


def _schema_missing(exc: ClientError) -> bool:
    """The errors of a statement that needs an index the database does not hold (it came back empty):
    "There is no such vector schema index: passage_embedding", "... fulltext schema index ...", and an index
    hint naming a missing index."""
    message = (exc.message or "").lower()
    return "IndexNotFound" in (exc.code or "") or ("no such" in message and "index" in message)


def _release(
    tx: ManagedTransaction, origin: str, entities: list[Entity] | None = None, relations: list[Relation] | None = None
) -> None:
    """Take `origin` off what carries it, except the entities and relations about to be written again."""
    keep_rels = [f"{r.source}|{r.type}|{r.target}" for r in relations or []]
    keep_nodes = sorted({e.id for e in entities or []} | {end for r in relations or [] for end in (r.source, r.target)})
    query = origin_term(origin)
    params = {"origin": origin, "origin_query": query, "keep_nodes": keep_nodes, "keep_rels": keep_rels}
    tx.run(cypher.RELEASE_ORIGIN, parameters=params).consume()


def _merge_all(
    tx: ManagedTransaction,
    by_label: dict[str, list[dict[str, Any]]],
    by_type: dict[str, list[dict[str, Any]]],
    origin: str,
    embeddings: list[dict[str, Any]],
) -> None:
    """Batched UNWIND writes, all inside the caller's one transaction."""
    for label, rows in by_label.items():
        for chunk in _chunks(rows):
            tx.run(cypher.merge_nodes(label), rows=chunk, origin=origin).consume()
    for chunk in _chunks(embeddings):
        tx.run(cypher.SET_EMBEDDINGS, rows=chunk).consume()
    for rel_type, rows in by_type.items():
        for chunk in _chunks(rows):
            tx.run(cypher.merge_relationships(rel_type), rows=chunk, origin=origin).consume()


def _chunks(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    return [rows[i : i + _BATCH] for i in range(0, len(rows), _BATCH)]


_LUCENE_SPECIAL = set('+-&|!(){}[]^"~*?:\\/')


def _vector_fetch(k: int) -> int:
    """How many rows the vector index is asked for to rank k: past the cut-off, for the ties at it."""
    return k + _TIE_SLACK


def _keyword_take(k: int) -> int:
    """How many matches the full-text index is asked for to rank k: Lucene breaks ties by its internal
    order, so read past the cut-off and order here (score, then id)."""
    return 2 * k + _TIE_SLACK


def _lucene_query(tokens: list[str]) -> str:
    """The tokens as one Lucene OR query, each once ("" when there are none)."""
    return " OR ".join(_lucene_term(t) for t in dict.fromkeys(tokens) if t)


def _lucene_term(token: str) -> str:
    return "".join("\\" + c if c in _LUCENE_SPECIAL else c for c in token)


def origin_term(origin: str) -> str:
    """The origin as one quoted Lucene term: the keyword analyzer of ORIGIN_INDEX keeps it whole."""
    escaped = origin.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
