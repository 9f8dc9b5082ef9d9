"""The Neo4j schema made sure of: the constraints and indexes of graph.cypher.SCHEMA_STATEMENTS, created where
missing (at start-up, after a reconnect, when a statement finds an index gone), and the duplicates that would
stop a uniqueness constraint merged first instead of refusing to start."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from neo4j import ManagedTransaction, Session
from neo4j.exceptions import ClientError

from graph import cypher
from graph.errors import StoreCorrupt

log = logging.getLogger(__name__)

# How many duplicated ids a report names (the count is always whole).
_NAMED_IDS = 10


@dataclass
class SchemaReport:
    """What one ensure found and did."""

    created: list[str] = field(default_factory=list)  # constraints and indexes that were missing
    rebuilt: list[str] = field(default_factory=list)  # indexes dropped and made again (other settings, FAILED)
    duplicate_ids: list[str] = field(default_factory=list)  # ids that more than one node held
    removed_copies: int = 0  # extra copies merged into their keeper (Meta's included)
    meta_copies: int = 0  # of which extra Meta nodes (the store revision's)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.rebuilt or self.removed_copies)

    def describe(self) -> str:
        parts = []
        if self.created:
            parts.append(f"created {len(self.created)} missing constraints/indexes ({', '.join(self.created)})")
        if self.rebuilt:
            parts.append(f"rebuilt indexes {', '.join(self.rebuilt)}")
        if self.removed_copies:
            meta = [f"the {cypher.META_ID!r} Meta node"] if self.meta_copies else []
            named = self.duplicate_ids[:_NAMED_IDS] + meta
            more = f" and {len(self.duplicate_ids) - _NAMED_IDS} more" if len(self.duplicate_ids) > _NAMED_IDS else ""
            parts.append(f"merged {self.removed_copies} duplicate nodes into one per id ({', '.join(named)}{more})")
        return "; ".join(parts) or "schema complete"


def ensure_schema(session: Session) -> SchemaReport:
    """Create what is missing; cheap when nothing is (two SHOW statements)."""
    report = SchemaReport()
    indexes = {row["name"]: row for row in session.run(cypher.SCHEMA_INDEXES).data()}
    constraints = {row["name"] for row in session.run(cypher.SCHEMA_CONSTRAINTS).data()}
    for name, row in indexes.items():
        if name in cypher.UNIQUENESS_CONSTRAINTS or name not in cypher.SCHEMA_STATEMENTS:
            continue
        expected = cypher.EXPECTED_INDEX_CONFIG.get(name, {})
        if row["state"] == "FAILED" or not _config_matches(row["config"] or {}, expected):
            session.run(cypher.drop_index(name)).consume()
            report.rebuilt.append(name)
    present = (set(indexes) | constraints) - set(report.rebuilt)
    missing = [name for name in cypher.SCHEMA_STATEMENTS if name not in present]
    if not missing:
        return report
    if any(name in cypher.UNIQUENESS_CONSTRAINTS for name in missing):
        _merge_duplicates(session, report)
    for name in missing:
        _create(session, name, report)
    report.created = [name for name in missing if name not in report.rebuilt]
    session.run(cypher.AWAIT_INDEXES).consume()
    return report


def _create(session: Session, name: str, report: SchemaReport) -> None:
    try:
        session.run(cypher.SCHEMA_STATEMENTS[name]).consume()
    except ClientError as exc:
        # Only a write racing this repair (or a hand-made node without the Node label) can get here.
        if "ConstraintCreationFailed" in (exc.code or "") or "ConstraintValidationFailed" in (exc.code or ""):
            raise StoreCorrupt(
                f"Neo4j holds nodes that share an id, and constraint {name} cannot be created "
                f"({report.describe()}): {exc.message}"
            ) from exc
        raise


def _merge_duplicates(session: Session, report: SchemaReport) -> None:
    """Each duplicated id becomes one node: the keeper (most relationships) takes the extras' relationships
    (merged with its own), the properties it lacks and their origins; the extras are deleted. One write
    transaction, so a failure leaves the database as it was."""
    rows = session.run(cypher.DUPLICATE_NODE_IDS).data()
    report.duplicate_ids = [row["id"] for row in rows]

    def work(tx: ManagedTransaction) -> tuple[int, int]:
        meta = int(tx.run(cypher.MERGE_DUPLICATE_META, meta_id=cypher.META_ID).single(strict=True)["removed"])
        if not rows:
            return meta, 0
        groups = tx.run(cypher.DUPLICATE_GROUPS, ids=report.duplicate_ids).data()
        for outgoing in (True, False):
            for rel_type in cypher.REL_TYPES:
                tx.run(cypher.move_duplicate_relationships(rel_type, outgoing), groups=groups).consume()
        tx.run(cypher.MERGE_DUPLICATE_NODES, groups=groups).consume()
        tx.run(cypher.BUMP_REVISION, meta_id=cypher.META_ID).consume()  # caches keyed on it read again
        return meta, sum(len(g["extras"]) for g in groups)

    report.meta_copies, nodes = session.execute_write(work)
    report.removed_copies = report.meta_copies + nodes
    if report.removed_copies:
        log.warning("Neo4j held duplicate nodes: %s", report.describe())


def _config_matches(actual: dict[str, Any], expected: dict[str, object]) -> bool:
    def norm(v: object) -> object:
        return v.upper() if isinstance(v, str) else v

    return all(norm(actual.get(k)) == norm(v) for k, v in expected.items())
