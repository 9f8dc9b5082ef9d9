"""The embedded store's durable state: one SQLite database (WAL mode, synchronous=FULL).

Every write is one transaction (BEGIN IMMEDIATE … COMMIT), so a crash at any moment leaves each
document whole or absent, and a second process sees the old or the new state. Tables:
- nodes (id, label, props JSON, origins JSON) and relationships (source, type, target, props, origins,
  evidence), keyed for lookups at either end; node_origins / rel_origins index what each origin
  brought, so a delete visits only those rows (no scans);
- passages: the keyword index's input (row, doc_id, section_path, the passage's term hashes and
  length, the revision its tokens were written at) — `row` is the passage's place in the vector file
  and the keyword index;
- meta: format, revision (bumped by every write), next_row, vector dimension, tokenizer version;
  tokenizer_words: the names the indexed tokens were made with.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.errors import StoreCorrupt

FORMAT = 2
FILE = "graph.db"
RelKey = tuple[str, str, str]  # (source, type, target)
_CHUNK = 500  # ids per IN (...) list

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS nodes (
    id TEXT PRIMARY KEY, label TEXT NOT NULL, props TEXT NOT NULL, origins TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS nodes_by_label ON nodes (label);
CREATE TABLE IF NOT EXISTS node_origins (origin TEXT NOT NULL, node TEXT NOT NULL, PRIMARY KEY (origin, node))
    WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rels (
    source TEXT NOT NULL, type TEXT NOT NULL, target TEXT NOT NULL,
    props TEXT NOT NULL, origins TEXT NOT NULL, evidence TEXT NOT NULL,
    PRIMARY KEY (source, type, target)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS rels_by_target ON rels (target, type, source);
CREATE TABLE IF NOT EXISTS rel_origins (
    origin TEXT NOT NULL, source TEXT NOT NULL, type TEXT NOT NULL, target TEXT NOT NULL,
    PRIMARY KEY (origin, source, type, target)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS passages (
    row INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, doc_id TEXT, section_path TEXT NOT NULL,
    has_vector INTEGER NOT NULL, length INTEGER NOT NULL, terms BLOB NOT NULL, tok_rev INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS passages_by_doc ON passages (doc_id);
CREATE INDEX IF NOT EXISTS passages_by_section ON passages (section_path);
CREATE INDEX IF NOT EXISTS passages_by_tok_rev ON passages (tok_rev);
-- What start-up reads of every passage, without paging through their term blobs.
CREATE INDEX IF NOT EXISTS passages_at_start ON passages (length, has_vector, tok_rev);
-- Nodes by label and relationships by type, kept by each write (stats without a scan).
CREATE TABLE IF NOT EXISTS counts (kind TEXT NOT NULL, name TEXT NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY (kind, name)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tokenizer_words (word TEXT PRIMARY KEY) WITHOUT ROWID;
"""


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def marks(n: int) -> str:
    return ",".join("?" * n)


@dataclass
class NodeRow:
    label: str
    props: dict[str, Any]
    origins: list[str]


@dataclass
class RelRow:
    props: dict[str, Any]
    origins: list[str]
    evidence: list[str]


@dataclass
class NewPassage:
    id: str
    row: int
    doc_id: str
    section_path: str
    has_vector: bool
    length: int
    terms: bytes


@dataclass
class Changes:
    """What a committed transaction changed, for the store's in-memory indexes and caches."""

    revision: int = 0
    nodes: dict[str, NodeRow | None] = field(default_factory=dict)  # touched node → its new state
    labels_before: dict[str, str | None] = field(default_factory=dict)  # touched node → label before (None: new)
    rels_added: set[RelKey] = field(default_factory=set)
    rels_removed: set[RelKey] = field(default_factory=set)
    passages: list[NewPassage] = field(default_factory=list)
    rows_removed: list[int] = field(default_factory=list)


@dataclass
class _Entry:
    row: NodeRow | None
    stored: tuple[str, str, str] | None  # the row as the database holds it (None: absent)
    label_before: str | None  # at the start of the transaction


@dataclass
class _RelEntry:
    row: RelRow | None
    stored: tuple[str, str, str] | None
    existed_before: bool


def _node_image(row: NodeRow | None) -> tuple[str, str, str] | None:
    return None if row is None else (row.label, dumps(row.props), dumps(row.origins))


def _rel_image(row: RelRow | None) -> tuple[str, str, str] | None:
    return None if row is None else (dumps(row.props), dumps(row.origins), dumps(row.evidence))


def _origins(image: tuple[str, str, str] | None, at: int) -> frozenset[str]:
    return frozenset(json.loads(image[at])) if image else frozenset()


class Database:
    """The connection and the reads; writes go through transaction(). The store serialises access."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreCorrupt("the database is not open")
        return self._conn

    def open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA busy_timeout=30000")
            # 64 MB of page cache instead of SQLite's 2 MB: the indexes a write touches stay in memory.
            conn.execute("PRAGMA cache_size=-65536")
            conn.executescript(_SCHEMA)
            fmt = conn.execute("SELECT value FROM meta WHERE key='format'").fetchone()
        except sqlite3.DatabaseError as exc:
            raise StoreCorrupt(f"cannot read {self.path}: {exc}") from exc
        if fmt is None:
            conn.execute("INSERT OR IGNORE INTO meta VALUES ('format', ?)", (str(FORMAT),))
        if conn.execute("SELECT 1 FROM counts LIMIT 1").fetchone() is None:  # a database from before counts
            conn.execute("INSERT OR IGNORE INTO counts SELECT 'label', label, count(*) FROM nodes GROUP BY label")
            conn.execute("INSERT OR IGNORE INTO counts SELECT 'type', type, count(*) FROM rels GROUP BY type")
        elif int(fmt[0]) != FORMAT:
            raise StoreCorrupt(f"{self.path}: format {fmt[0]}, this version reads format {FORMAT}")
        self._conn = conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def data_version(self) -> int:
        """Changes when another connection commits (SQLite's PRAGMA data_version)."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def meta(self, key: str, default: str = "") -> str:
        row = self.conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return str(row[0]) if row else default

    def revision(self) -> int:
        return int(self.meta("revision", "0"))

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads that see one committed state (inside a write transaction: that one)."""
        if self.conn.in_transaction:
            yield
            return
        self.conn.execute("BEGIN")
        try:
            yield
        finally:
            self.conn.execute("COMMIT")

    @contextmanager
    def transaction(self) -> Iterator[Txn]:
        """One atomic write; on leaving without error it commits, under a new revision if it changed
        anything (bookkeeping alone, such as the tokenizer's names, keeps the revision)."""
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            txn = Txn(conn, self.revision())
            yield txn
            txn.finish()
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    # -- reads ---------------------------------------------------------------------------------------
    def has_origin(self, origin: str) -> bool:
        return self.conn.execute("SELECT 1 FROM node_origins WHERE origin=? LIMIT 1", (origin,)).fetchone() is not None

    def nodes(self, ids: Iterable[str]) -> dict[str, NodeRow]:
        out: dict[str, NodeRow] = {}
        for part in chunks(list(dict.fromkeys(ids))):
            for nid, label, props, origins in self.conn.execute(
                f"SELECT id, label, props, origins FROM nodes WHERE id IN ({marks(len(part))})", part
            ):
                out[nid] = NodeRow(label, json.loads(props), json.loads(origins))
        return out

    def labels(self, ids: Iterable[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for part in chunks(list(dict.fromkeys(ids))):
            q = f"SELECT id, label FROM nodes WHERE id IN ({marks(len(part))})"
            out.update(self.conn.execute(q, part).fetchall())
        return out

    def nodes_with_labels(self, labels: Sequence[str] | None) -> Iterator[tuple[str, NodeRow]]:
        """Every node (or those with one of labels), by id."""
        where = f"WHERE label IN ({marks(len(labels))})" if labels is not None else ""
        q = f"SELECT id, label, props, origins FROM nodes {where} ORDER BY id"
        for nid, label, props, origins in self.conn.execute(q, list(labels or [])):
            yield nid, NodeRow(label, json.loads(props), json.loads(origins))

    def rels_at(
        self, ids: Sequence[str], outgoing: bool, types: Sequence[str] | None = None
    ) -> list[tuple[RelKey, RelRow]]:
        """Relationships leaving (outgoing) or reaching the nodes, of these types only when given (in SQL:
        the keys (source, type, …) and (target, type, …) lead with both, and a document's other
        relationships — hundreds of passages — are not decoded to be dropped)."""
        column = "source" if outgoing else "target"
        kinds = list(dict.fromkeys(types)) if types is not None else []
        out = []
        for part in chunks(list(ids)):
            q = "SELECT source, type, target, props, origins, evidence FROM rels"
            q += f" WHERE {column} IN ({marks(len(part))})"
            if types is not None:
                q += f" AND type IN ({marks(len(kinds))})" if kinds else " AND 0"
            for s, t, d, props, origins, evidence in self.conn.execute(q, [*part, *kinds]):
                out.append(((s, t, d), RelRow(json.loads(props), json.loads(origins), json.loads(evidence))))
        return out

    def rel_ends_at(self, ids: Sequence[str]) -> list[tuple[str, str, str]]:
        """(source, type, target) of every relationship at the nodes, without properties."""
        out: list[tuple[str, str, str]] = []
        for part in chunks(list(ids)):
            m = marks(len(part))
            out += self.conn.execute(f"SELECT source, type, target FROM rels WHERE source IN ({m})", part).fetchall()
            out += self.conn.execute(f"SELECT source, type, target FROM rels WHERE target IN ({m})", part).fetchall()
        return out

    def all_rels(self, labels: Sequence[str] | None = None) -> Iterator[tuple[RelKey, RelRow]]:
        """Every relationship (or those between nodes with one of labels), by (source, type, target)."""
        if labels is None:
            q, args = (
                "SELECT source, type, target, props, origins, evidence FROM rels ORDER BY source, type, target",
                [],
            )
        else:
            m = marks(len(labels))
            q = (
                "SELECT r.source, r.type, r.target, r.props, r.origins, r.evidence FROM rels r "
                "JOIN nodes a ON a.id = r.source JOIN nodes b ON b.id = r.target "
                f"WHERE a.label IN ({m}) AND b.label IN ({m}) ORDER BY r.source, r.type, r.target"
            )
            args = [*labels, *labels]
        for s, t, d, props, origins, evidence in self.conn.execute(q, args):
            yield (s, t, d), RelRow(json.loads(props), json.loads(origins), json.loads(evidence))

    def rel_pairs(self) -> Iterator[tuple[str, str]]:
        yield from self.conn.execute("SELECT source, target FROM rels")

    def label_counts(self) -> dict[str, int]:
        return self._counts("label")

    def type_counts(self) -> dict[str, int]:
        return self._counts("type")

    def _counts(self, kind: str) -> dict[str, int]:
        rows = self.conn.execute("SELECT name, n FROM counts WHERE kind=? AND n > 0", (kind,)).fetchall()
        return dict(rows)

    # passages
    def passage_table(self) -> list[tuple[int, int, int, int]]:
        """(row, length, has_vector, tok_rev) of every passage (from the covering index passages_at_start)."""
        q = "SELECT row, length, has_vector, tok_rev FROM passages INDEXED BY passages_at_start"
        return self.conn.execute(q).fetchall()

    def passage_terms_since(self, revision: int) -> list[tuple[int, bytes, int]]:
        """(row, terms, length) of the passages whose tokens were written after revision."""
        q = "SELECT row, terms, length FROM passages WHERE tok_rev > ?"
        return self.conn.execute(q, (revision,)).fetchall()

    def all_passage_rows(self) -> list[int]:
        return [r for (r,) in self.conn.execute("SELECT row FROM passages")]

    def passage_rows(self, column: str, values: Sequence[str]) -> list[int]:
        assert column in ("id", "doc_id")
        rows: list[int] = []
        for part in chunks(list(values)):
            q = f"SELECT row FROM passages WHERE {column} IN ({marks(len(part))})"
            rows += [r for (r,) in self.conn.execute(q, part)]
        return rows

    def passage_rows_under(self, prefix: str) -> list[int]:
        """Rows of passages whose section_path starts with prefix (a range scan of the index)."""
        if not prefix:
            return [r for (r,) in self.conn.execute("SELECT row FROM passages")]
        q = "SELECT row, section_path FROM passages WHERE section_path >= ? AND section_path < ?"
        return [r for r, path in self.conn.execute(q, (prefix, prefix + "\U0010ffff")) if path.startswith(prefix)]

    def passages_at(self, rows: Sequence[int]) -> dict[int, tuple[str, dict[str, Any]]]:
        """row → (passage id, properties)."""
        out: dict[int, tuple[str, dict[str, Any]]] = {}
        for part in chunks(list(rows)):
            q = (
                "SELECT p.row, p.id, n.props FROM passages p JOIN nodes n ON n.id = p.id "
                f"WHERE p.row IN ({marks(len(part))})"
            )
            for row, pid, props in self.conn.execute(q, part):
                out[row] = (pid, json.loads(props))
        return out

    def passage_ids(self, rows: Sequence[int]) -> dict[int, str]:
        out: dict[int, str] = {}
        for part in chunks(list(rows)):
            q = f"SELECT row, id FROM passages WHERE row IN ({marks(len(part))})"
            out.update(self.conn.execute(q, part).fetchall())
        return out

    def passage_texts(self, rows: Sequence[int] | None = None, containing: str | None = None) -> list[tuple[int, str]]:
        """(row, text) of the given passages, or of those whose stored properties contain a string."""
        q = "SELECT p.row, n.props FROM passages p JOIN nodes n ON n.id = p.id"
        found: list[tuple[int, str]] = []
        if rows is not None:
            for part in chunks(list(rows)):
                for row, props in self.conn.execute(f"{q} WHERE p.row IN ({marks(len(part))})", part):
                    found.append((row, str(json.loads(props).get("text", ""))))
        else:
            for row, props in self.conn.execute(f"{q} WHERE instr(n.props, ?) > 0", (containing or "",)):
                found.append((row, str(json.loads(props).get("text", ""))))
        return found

    def tokenizer_words(self) -> list[str]:
        return [w for (w,) in self.conn.execute("SELECT word FROM tokenizer_words")]


class Txn:
    """A write in progress: node and relationship rows are read once, changed in memory and written
    back by flush(); the origin tables follow from the difference."""

    def __init__(self, conn: sqlite3.Connection, revision: int) -> None:
        self.conn = conn
        self._base = revision
        self.revision = revision + 1  # what rows written now carry; kept only if something changed
        self.wrote = False
        self._nodes: dict[str, _Entry] = {}
        self._rels: dict[RelKey, _RelEntry] = {}
        self._new_passages: list[NewPassage] = []
        self._drop_passages: set[str] = set()
        self.changes = Changes()
        self.meta: dict[str, str] = {}

    # -- nodes ---------------------------------------------------------------------------------------
    def load_nodes(self, ids: Iterable[str]) -> None:
        missing = [i for i in dict.fromkeys(ids) if i not in self._nodes]
        found: dict[str, NodeRow] = {}
        for part in chunks(missing):
            q = f"SELECT id, label, props, origins FROM nodes WHERE id IN ({marks(len(part))})"
            for nid, label, props, origins in self.conn.execute(q, part):
                found[nid] = NodeRow(label, json.loads(props), json.loads(origins))
        for nid in missing:
            row = found.get(nid)
            self._nodes[nid] = _Entry(row, _node_image(row), row.label if row else None)

    def node(self, node_id: str) -> NodeRow | None:
        if node_id not in self._nodes:
            self.load_nodes([node_id])
        return self._nodes[node_id].row

    def add_node(self, node_id: str, label: str, props: dict[str, Any], origin: str) -> None:
        row = self.node(node_id)
        if row is None:
            row = self._nodes[node_id].row = NodeRow(label, {}, [])
        if row.label == "Passage" and label != "Passage":
            self._drop_passages.add(node_id)
        row.label = label
        if origin not in row.origins:
            row.origins.append(origin)
        merge_properties(row.props, props)

    def put_node(self, node_id: str, row: NodeRow) -> None:
        """Write a node as it is (a migration); no merging."""
        self.load_nodes([node_id])
        self._nodes[node_id].row = row

    def put_rel(self, key: RelKey, row: RelRow) -> None:
        self.load_rels([key])
        self._rels[key].row = row

    def add_passage(self, passage: NewPassage) -> None:
        self._drop_passages.add(passage.id)  # an earlier row of the same passage, if any
        self._new_passages.append(passage)

    # -- relationships -------------------------------------------------------------------------------
    def load_rels(self, keys: Iterable[RelKey]) -> None:
        missing = [k for k in dict.fromkeys(keys) if k not in self._rels]
        for key in missing:
            found = self.conn.execute(
                "SELECT props, origins, evidence FROM rels WHERE source=? AND type=? AND target=?", key
            ).fetchone()
            row = RelRow(json.loads(found[0]), json.loads(found[1]), json.loads(found[2])) if found else None
            self._rels[key] = _RelEntry(row, _rel_image(row), row is not None)

    def add_rel(
        self, source: str, rel_type: str, target: str, evidence: str | None, props: dict[str, Any], origin: str
    ) -> None:
        """Relations whose ends are unknown are skipped. Their origin is also recorded on both ends."""
        start, end_ = self.node(source), self.node(target)
        if start is None or end_ is None:
            return
        key = (source, rel_type, target)
        self.load_rels([key])
        entry = self._rels[key]
        if entry.row is None:
            entry.row = RelRow({}, [], [])
        row = entry.row
        if origin not in row.origins:
            row.origins.append(origin)
        if evidence and evidence not in row.evidence:
            row.evidence.append(evidence)
        merge_properties(row.props, props)
        for end in (start, end_):
            if origin not in end.origins:
                end.origins.append(origin)

    # -- releasing an origin -------------------------------------------------------------------------
    def release(self, origin: str) -> bool:
        """Drop origin everywhere; nodes and relationships left without one go (with what hangs on them)."""
        self.flush()  # so that the origin tables reflect this transaction too
        owned = [n for (n,) in self.conn.execute("SELECT node FROM node_origins WHERE origin=?", (origin,))]
        if not owned:
            return False
        self.load_nodes(owned)
        doomed = {n for n in owned if (row := self._nodes[n].row) is not None and row.origins == [origin]}
        keys = self.conn.execute("SELECT source, type, target FROM rel_origins WHERE origin=?", (origin,)).fetchall()
        at_doomed: list[RelKey] = []
        for part in chunks(sorted(doomed)):
            m = marks(len(part))
            at_doomed += self.conn.execute(
                f"SELECT source, type, target FROM rels WHERE source IN ({m})", part
            ).fetchall()
            at_doomed += self.conn.execute(
                f"SELECT source, type, target FROM rels WHERE target IN ({m})", part
            ).fetchall()
        self.load_rels([*keys, *at_doomed])
        for key in keys:
            rel = self._rels[key].row
            if rel is None:
                continue
            rel.origins = [o for o in rel.origins if o != origin]
            rel.evidence = [e for e in rel.evidence if e not in doomed]
            if not rel.origins:
                self._rels[key].row = None
        for key in at_doomed:  # none by the invariant above; a node never leaves a relationship dangling
            self._rels[key].row = None
        for n in owned:
            entry = self._nodes[n]
            if entry.row is None:
                continue
            if n in doomed:
                if entry.row.label == "Passage":
                    self._drop_passages.add(n)
                entry.row = None
            else:
                entry.row.origins = [o for o in entry.row.origins if o != origin]
        return True

    # -- writing back --------------------------------------------------------------------------------
    def flush(self) -> None:
        c = self.conn
        for nid, entry in self._nodes.items():
            image = _node_image(entry.row)
            if image == entry.stored:
                continue
            self.wrote = True
            if image is None:
                c.execute("DELETE FROM nodes WHERE id=?", (nid,))
            else:
                c.execute("INSERT OR REPLACE INTO nodes VALUES (?, ?, ?, ?)", (nid, *image))
            before, now = _origins(entry.stored, 2), _origins(image, 2)
            c.executemany("DELETE FROM node_origins WHERE origin=? AND node=?", [(o, nid) for o in before - now])
            c.executemany("INSERT OR IGNORE INTO node_origins VALUES (?, ?)", [(o, nid) for o in now - before])
            entry.stored = image
        for key, rel in self._rels.items():
            rimage = _rel_image(rel.row)
            if rimage == rel.stored:
                continue
            self.wrote = True
            if rimage is None:
                c.execute("DELETE FROM rels WHERE source=? AND type=? AND target=?", key)
            else:
                c.execute("INSERT OR REPLACE INTO rels VALUES (?, ?, ?, ?, ?, ?)", (*key, *rimage))
            before, now = _origins(rel.stored, 1), _origins(rimage, 1)
            c.executemany("DELETE FROM rel_origins WHERE origin=? AND source=? AND type=? AND target=?",
                          [(o, *key) for o in before - now])  # fmt: skip
            c.executemany("INSERT OR IGNORE INTO rel_origins VALUES (?, ?, ?, ?)", [(o, *key) for o in now - before])
            rel.stored = rimage
        if self._drop_passages:
            self.wrote = True
            for part in chunks(sorted(self._drop_passages)):
                m = marks(len(part))
                found = c.execute(f"SELECT row FROM passages WHERE id IN ({m})", part).fetchall()
                self.changes.rows_removed += [r for (r,) in found]
                c.execute(f"DELETE FROM passages WHERE id IN ({m})", part)
            self._drop_passages = set()
        if self._new_passages:
            self.wrote = True
            c.executemany(
                "INSERT INTO passages VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(p.row, p.id, p.doc_id, p.section_path, int(p.has_vector), p.length, p.terms, self.revision)
                 for p in self._new_passages],
            )  # fmt: skip
            self.changes.passages += self._new_passages
            self._new_passages = []

    def set_meta(self, key: str, value: str | int) -> None:
        self.meta[key] = str(value)

    def finish(self) -> None:
        """Write everything back under the new revision (called by Database.transaction)."""
        self.flush()
        if not self.wrote:
            self.revision = self._base
        self.meta["revision"] = str(self.revision)
        self.conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", list(self.meta.items()))
        ch = self.changes
        ch.revision = self.revision
        deltas: dict[tuple[str, str], int] = {}
        for nid, entry in self._nodes.items():
            ch.nodes[nid] = entry.row
            ch.labels_before[nid] = entry.label_before
            after = entry.row.label if entry.row is not None else None
            if after != entry.label_before:
                if entry.label_before is not None:
                    deltas[("label", entry.label_before)] = deltas.get(("label", entry.label_before), 0) - 1
                if after is not None:
                    deltas[("label", after)] = deltas.get(("label", after), 0) + 1
        for key, rel in self._rels.items():
            if rel.row is not None and not rel.existed_before:
                ch.rels_added.add(key)
                deltas[("type", key[1])] = deltas.get(("type", key[1]), 0) + 1
            elif rel.row is None and rel.existed_before:
                ch.rels_removed.add(key)
                deltas[("type", key[1])] = deltas.get(("type", key[1]), 0) - 1
        self.conn.executemany(
            "INSERT INTO counts VALUES (?, ?, ?) ON CONFLICT (kind, name) DO UPDATE SET n = n + excluded.n",
            [(kind, name, d) for (kind, name), d in deltas.items() if d],
        )


def merge_properties(target: dict[str, Any], props: dict[str, Any]) -> None:
    """Property update with Neo4j's `SET n += props` meaning: None removes a property."""
    for key, value in props.items():
        if key == "id":
            continue
        if value is None:
            target.pop(key, None)
        else:
            target[key] = list(value) if isinstance(value, list) else value
