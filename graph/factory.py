"""Builds the configured store. No I/O here: the caller calls start()."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from graph.embedded import EmbeddedStore
from graph.neo4j_store import Neo4jStore, Neo4jTimeouts
from graph.store import GraphStore


def make_store(
    kind: Literal["embedded", "neo4j"],
    *,
    data_dir: Path,
    neo4j_uri: str = "bolt://localhost:7687",
    neo4j_user: str = "neo4j",
    neo4j_password: str = "neo4j",
    neo4j_database: str | None = None,
    neo4j_timeouts: Neo4jTimeouts | None = None,
) -> GraphStore:
    if kind == "neo4j":
        return Neo4jStore(neo4j_uri, neo4j_user, neo4j_password, neo4j_database, timeouts=neo4j_timeouts)
    return EmbeddedStore(data_dir)
