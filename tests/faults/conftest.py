"""Fault fixtures: a Neo4j server of the test's own (scripts/neo4j-start with a data folder), which a test stops
and starts again on the same folder or on a new, empty one; the seed written into it; the CLI and a live
uvicorn pointed at it through CHUYI_ variables only.

The server listens on CHUYI_FAULT_NEO4J_PORT when set (each engineer has ports of their own), else on a free
port. These tests need what the `neo4j` tests need (the launcher, Java), so they run where those run."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import GraphDatabase

from graph import cypher
from graph.neo4j_store import Neo4jStore
from ingest.bundle import DocumentBuilder
from ingest.knowledge import KnowledgeBase
from ingest.loaders import load_file
from tests.api.conftest import LiveServer, MemoEmbedder, free_port, ingest_seed, make_services
from tests.api.conftest import service_env as api_service_env
from tests.conftest import CORPUS_DIR, ROOT

LAUNCH_TIMEOUT_S = 240  # a start here took 13-19 s, a stop 13 s (2 shared cores); generous for a busy machine


class Neo4jServer:
    """One Neo4j process on a fixed port; start() takes the data folder it serves."""

    def __init__(self, port: int, run_dir: Path) -> None:
        self.port = port
        self.uri = f"bolt://127.0.0.1:{port}"
        self._env = {**os.environ, "NEO4J_RUN_DIR": str(run_dir)}

    def start(self, data_dir: Path) -> str:
        subprocess.run(
            ["bash", str(ROOT / "scripts" / "neo4j-start"), str(self.port), str(data_dir)],
            env=self._env, check=True, capture_output=True, timeout=LAUNCH_TIMEOUT_S,
        )  # fmt: skip
        return self.uri

    def stop(self) -> None:
        subprocess.run(
            ["bash", str(ROOT / "scripts" / "neo4j-stop"), str(self.port)],
            env=self._env, check=True, capture_output=True, timeout=LAUNCH_TIMEOUT_S,
        )  # fmt: skip


@pytest.fixture
def neo4j_server(neo4j_uri: str, tmp_path: Path) -> Iterator[Neo4jServer]:
    """Needs `neo4j_uri` only to run where Neo4j tests run (it skips, or fails under CI, without one)."""
    port = int(os.environ.get("CHUYI_FAULT_NEO4J_PORT") or free_port())
    server = Neo4jServer(port, tmp_path / "neo4j-run")
    yield server
    server.stop()


def seed_database(uri: str, embedder: MemoEmbedder, tmp_path: Path) -> None:
    store = Neo4jStore(uri, "neo4j", "neo4j")
    store.start()
    try:
        ingest_seed(make_services(store, embedder, tmp_path / "seed-data"))
    finally:
        store.close()


def service_env(uri: str, data_dir: Path) -> dict[str, str]:
    """The environment of a `chuyi` or uvicorn subprocess on this Neo4j (no CHUYI_ variable of the caller's)."""
    return api_service_env(data_dir, "neo4j", neo4j_uri=uri)


def chuyi(args: list[str], env: dict[str, str], **popen: object) -> subprocess.Popen[str]:
    return subprocess.Popen(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "search_api.cli", *args], cwd=ROOT, env=env, text=True, **popen
    )


def live_server(uri: str, tmp_path: Path, name: str = "uvicorn") -> LiveServer:
    server = LiveServer(service_env(uri, tmp_path / f"{name}-data"), tmp_path / f"{name}.log")
    server.start(timeout=180)
    return server


def expected_counts(paths: list[Path]) -> dict[str, tuple[int, int]]:
    """(sections, passages) that a whole ingest writes for each file, by document id (no model needed)."""
    builder = DocumentBuilder(KnowledgeBase.load(CORPUS_DIR / "knowledge"))
    counts = {}
    for path in paths:
        bundle = builder.build(load_file(path, 10**8)).bundle
        counts[bundle.document.id] = (len(bundle.sections), len(bundle.passages))
    return counts


def ids_held_twice(uri: str) -> list[str]:
    with GraphDatabase.driver(uri, auth=("neo4j", "neo4j")) as driver, driver.session() as session:
        return [r["id"] for r in session.run(cypher.DUPLICATE_NODE_IDS)]


def stored_counts(uri: str) -> dict[str, tuple[int, int, int]]:
    """Per stored document: its sections, its passages, and its passages with a vector (a whole document has
    as many of each as a whole ingest writes)."""
    query = """
    MATCH (d:Document)
    RETURN d.id AS id,
           COUNT { (d)-[:HAS_SECTION]->(:Section) } AS sections,
           COUNT { (d)-[:HAS_PASSAGE]->(:Passage) } AS passages,
           COUNT { (d)-[:HAS_PASSAGE]->(p:Passage) WHERE p.embedding IS NOT NULL } AS embedded
    """
    with GraphDatabase.driver(uri, auth=("neo4j", "neo4j")) as driver, driver.session() as session:
        return {r["id"]: (r["sections"], r["passages"], r["embedded"]) for r in session.run(query)}


def schema_names(uri: str) -> set[str]:
    with GraphDatabase.driver(uri, auth=("neo4j", "neo4j")) as driver, driver.session() as session:
        names = {r["name"] for r in session.run("SHOW INDEXES YIELD name")}
        return names | {r["name"] for r in session.run("SHOW CONSTRAINTS YIELD name")}
