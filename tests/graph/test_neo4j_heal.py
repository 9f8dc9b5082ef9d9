"""Neo4j that heals, without restarting the server: the schema made again when a statement finds it gone, the
first write into a database without its Meta node waits for the constraints, and the driver timeouts come
from the settings. (Restarts and outages are in tests/faults/.)"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import GraphDatabase

from graph import cypher
from graph.errors import StoreUnavailable
from graph.factory import make_store
from graph.neo4j_store import Neo4jStore, Neo4jTimeouts
from search_api.settings import Settings
from tests.api.conftest import free_port
from tests.graph.graphs import plan_a

pytestmark = pytest.mark.neo4j

# Enough of the schema to stand for "the database came back without it", few enough to make again quickly.
DROPPED = ["passage_embedding", "passage_tokens", "node_origins"]
DROPPED_CONSTRAINTS = ["node_id", "document_id", "passage_id", "meta_id"]


def _drop(uri: str, indexes: list[str], constraints: list[str]) -> None:
    with GraphDatabase.driver(uri, auth=("neo4j", "neo4j")) as driver, driver.session() as session:
        for name in indexes:
            session.run(f"DROP INDEX {name} IF EXISTS").consume()
        for name in constraints:
            session.run(f"DROP CONSTRAINT {name} IF EXISTS").consume()


def _schema_names(uri: str) -> set[str]:
    with GraphDatabase.driver(uri, auth=("neo4j", "neo4j")) as driver, driver.session() as session:
        names = {r["name"] for r in session.run("SHOW INDEXES YIELD name")}
        return names | {r["name"] for r in session.run("SHOW CONSTRAINTS YIELD name")}


def _ids_held_twice(uri: str) -> list[str]:
    with GraphDatabase.driver(uri, auth=("neo4j", "neo4j")) as driver, driver.session() as session:
        return [r["id"] for r in session.run(cypher.DUPLICATE_NODE_IDS)]


@pytest.fixture
def started(clean_neo4j: str) -> Iterator[Neo4jStore]:
    store = Neo4jStore(clean_neo4j, "neo4j", "neo4j")
    store.start()
    yield store
    store.close()


def test_search_heals_when_the_indexes_are_gone(started: Neo4jStore, clean_neo4j: str) -> None:
    started.upsert_document(plan_a())
    before_dense = started.vector_search(plan_a().passages[0].embedding or [], 3)
    before_words = started.keyword_search(["楚怡"], 3)
    assert before_dense and before_words
    _drop(clean_neo4j, DROPPED, [])
    # No 500 ("There is no such vector schema index"): the schema is made again and the search runs once more.
    assert started.vector_search(plan_a().passages[0].embedding or [], 3) == before_dense
    assert started.keyword_search(["楚怡"], 3) == before_words
    assert set(DROPPED) <= _schema_names(clean_neo4j)
    assert started.last_schema_report is not None and set(DROPPED) <= set(started.last_schema_report.created)


def test_the_first_write_into_an_emptied_database_waits_for_the_constraints(
    started: Neo4jStore, clean_neo4j: str
) -> None:
    """A database that came back empty (no Meta node, no constraints) while the store held its connections:
    the write is rolled back, the schema made, and the write runs again, so no MERGE runs unconstrained."""
    _drop(clean_neo4j, DROPPED, DROPPED_CONSTRAINTS)
    started.upsert_document(plan_a())
    assert set(DROPPED + DROPPED_CONSTRAINTS) <= _schema_names(clean_neo4j)
    started.upsert_document(plan_a())  # again: MERGE on the id, nothing doubled
    assert _ids_held_twice(clean_neo4j) == []
    assert [d.id for d in started.list_documents()] == [plan_a().document.id]
    assert started.revision() == 2


def test_a_store_whose_schema_is_whole_checks_it_no_more(started: Neo4jStore, clean_neo4j: str) -> None:
    started.upsert_document(plan_a())
    report = started.last_schema_report
    started.keyword_search(["楚怡"], 3)
    started.upsert_document(plan_a())
    assert started.last_schema_report is report  # no ensure ran for these calls


def test_driver_timeouts_come_from_the_settings(
    clean_neo4j: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHUYI_NEO4J_CONNECTION_TIMEOUT_S", "0.75")
    monkeypatch.setenv("CHUYI_NEO4J_ACQUISITION_TIMEOUT_S", "1.5")
    monkeypatch.setenv("CHUYI_NEO4J_RETRY_TIME_S", "0.25")
    settings = Settings(store="neo4j", neo4j_uri=clean_neo4j, data_dir=tmp_path)
    assert settings.neo4j_timeouts() == Neo4jTimeouts(connection_s=0.75, acquisition_s=1.5, retry_s=0.25)
    store = make_store("neo4j", data_dir=tmp_path, neo4j_uri=clean_neo4j, neo4j_timeouts=settings.neo4j_timeouts())
    assert isinstance(store, Neo4jStore)
    store.start()
    try:
        assert store.driver_timeouts() == {
            "connection_timeout": 0.75,
            "connection_acquisition_timeout": 1.5,
            "max_transaction_retry_time": 0.25,
        }
    finally:
        store.close()


def test_the_defaults_fail_fast(tmp_path: Path) -> None:
    """The defaults the README documents: no request waits for the driver's 30 s defaults (issue 12 measured
    31-33 s a request); scripts/bench_outage.py measures the time itself."""
    assert Settings(data_dir=tmp_path).neo4j_timeouts() == Neo4jTimeouts(
        connection_s=1.0, acquisition_s=2.0, retry_s=0.5
    )
    store = Neo4jStore(f"bolt://127.0.0.1:{free_port()}", "neo4j", "neo4j")
    with pytest.raises(StoreUnavailable, match="unreachable"):
        store.start()
