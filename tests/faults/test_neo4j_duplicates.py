"""A database holding nodes that share an id (what writes made while Neo4j ran without our constraints):
start-up merges each id's copies into one, keeping their relationships, says so, creates the constraints and
starts, where it used to refuse with ConstraintCreationFailed (the API and `chuyi ingest` alike)."""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from neo4j import GraphDatabase

from graph import cypher
from graph.neo4j_store import Neo4jStore
from search_api.app import create_app
from search_api.cli import EXIT_OK
from search_api.settings import Settings
from tests.api.conftest import MemoEmbedder
from tests.conftest import CORPUS_DIR, MODEL_DIR, SEED
from tests.faults.conftest import chuyi, ids_held_twice, schema_names, seed_database, service_env, stored_counts

pytestmark = pytest.mark.neo4j

# Two copies of the document (the extra one holds two of its passages), two copies of one passage (the
# extra one alone MENTIONS an organisation), and two Meta nodes.
DUPLICATE = """
MATCH (d:Document)
CREATE (d2:Node:Document) SET d2 = properties(d)
WITH d, d2
MATCH (d)-[:HAS_PASSAGE]->(p:Passage)
WITH d, d2, p ORDER BY p.order LIMIT 2
CREATE (d2)-[:HAS_PASSAGE {origins: [d.id], evidence: []}]->(p)
WITH d, p ORDER BY p.order DESC LIMIT 1
CREATE (p2:Node:Passage) SET p2 = properties(p)
WITH d, p, p2
MATCH (o:Organization) WHERE NOT (p)-[:MENTIONS]->(o)
WITH d, p, p2, o ORDER BY o.id LIMIT 1
CREATE (p2)-[:MENTIONS {origins: [d.id], evidence: [p.id]}]->(o)
CREATE (:Meta {id: $meta_id, revision: 1})
RETURN d.id AS doc, p.id AS passage, o.id AS org
"""


def _holding_duplicates(uri: str) -> dict[str, str]:
    """Drop our uniqueness constraints (a database that came back without them) and write the copies."""
    with GraphDatabase.driver(uri, auth=("neo4j", "neo4j")) as driver, driver.session() as session:
        for name in cypher.UNIQUENESS_CONSTRAINTS:
            session.run(f"DROP CONSTRAINT {name} IF EXISTS").consume()
        made = session.run(DUPLICATE, meta_id=cypher.META_ID).single(strict=True).data()
    assert sorted(ids_held_twice(uri)) == sorted([made["doc"], made["passage"]])
    return made


def _mentions(uri: str, passage: str) -> set[str]:
    query = "MATCH (:Passage {id: $id})-[:MENTIONS]->(o) RETURN o.id AS id"
    with GraphDatabase.driver(uri, auth=("neo4j", "neo4j")) as driver, driver.session() as session:
        return {r["id"] for r in session.run(query, id=passage)}


def _meta_nodes(uri: str) -> int:
    with GraphDatabase.driver(uri, auth=("neo4j", "neo4j")) as driver, driver.session() as session:
        return int(session.run("MATCH (m:Meta) RETURN count(m) AS n").single(strict=True)["n"])


def _assert_repaired(uri: str, made: dict[str, str], whole: dict[str, tuple[int, int, int]]) -> None:
    assert ids_held_twice(uri) == []
    assert schema_names(uri) >= cypher.UNIQUENESS_CONSTRAINTS
    assert _meta_nodes(uri) == 1
    assert made["org"] in _mentions(uri, made["passage"])  # the extra copy's relationship moved to the keeper
    assert stored_counts(uri) == whole  # the document as whole as before, each passage once


def test_the_api_starts_on_a_database_with_duplicate_ids(
    clean_neo4j: str, memo_embedder: MemoEmbedder, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    seed_database(clean_neo4j, memo_embedder, tmp_path)
    whole = stored_counts(clean_neo4j)
    made = _holding_duplicates(clean_neo4j)
    settings = Settings(
        store="neo4j", neo4j_uri=clean_neo4j, data_dir=tmp_path / "data", embedding_model=str(MODEL_DIR),
        corpus_dir=CORPUS_DIR,
    )  # fmt: skip
    app = create_app(settings)
    with caplog.at_level(logging.WARNING, logger="graph"), TestClient(app) as client:
        health = client.get("/healthz")
        assert health.status_code == 200 and health.json()["documents"] == 1, health.text
        search = client.post("/api/search", json={"query": "楚怡文化传承基地", "top_k": 3})
        assert search.status_code == 200 and search.json()["results"]
        store = app.state.services.store
        assert isinstance(store, Neo4jStore)
        report = store.last_schema_report
    assert report is not None
    assert sorted(report.duplicate_ids) == sorted([made["doc"], made["passage"]])
    assert report.removed_copies == 3  # a document, a passage, a Meta node
    assert any("duplicate nodes" in r.getMessage() and made["doc"] in r.getMessage() for r in caplog.records)
    _assert_repaired(clean_neo4j, made, whole)


@pytest.mark.slow
def test_chuyi_ingest_runs_on_a_database_with_duplicate_ids(
    clean_neo4j: str, memo_embedder: MemoEmbedder, tmp_path: Path
) -> None:
    seed_database(clean_neo4j, memo_embedder, tmp_path)
    whole = stored_counts(clean_neo4j)
    made = _holding_duplicates(clean_neo4j)
    run = chuyi(
        ["ingest", "--quiet", str(SEED)], service_env(clean_neo4j, tmp_path / "cli-data"),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    output = run.communicate(timeout=600)[0]
    assert run.returncode == EXIT_OK, output
    assert "merged 3 duplicate nodes" in output
    _assert_repaired(clean_neo4j, made, whole)
