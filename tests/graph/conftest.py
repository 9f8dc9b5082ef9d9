"""Fixtures for the store tests: the small known graph loaded into each backend, and both backends
side by side (for the same-results-on-both tests)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.factory import make_store
from graph.store import GraphStore
from tests.graph.graphs import REFERENCE_ORIGIN, plan_a, plan_b, reference


def load_known_graph(store: GraphStore) -> None:
    store.tokenizer.add_words([e.name for e in plan_a().entities])
    store.upsert_document(plan_a())
    store.upsert_document(plan_b())
    entities, relations = reference()
    store.upsert_entities(entities, relations, REFERENCE_ORIGIN)


@pytest.fixture
def loaded(store: GraphStore) -> GraphStore:
    load_known_graph(store)
    return store


@pytest.fixture
def both_stores(clean_neo4j: str, tmp_path: Path) -> Iterator[tuple[GraphStore, GraphStore]]:
    embedded = make_store("embedded", data_dir=tmp_path / "data")
    neo4j = make_store("neo4j", data_dir=tmp_path, neo4j_uri=clean_neo4j)
    embedded.start()
    neo4j.start()
    yield embedded, neo4j
    neo4j.close()
    embedded.close()


@pytest.fixture
def neo4j_store(clean_neo4j: str, tmp_path: Path) -> Iterator[GraphStore]:
    """A started, empty Neo4j store, for the behaviours only Neo4j has (Cypher)."""
    s = make_store("neo4j", data_dir=tmp_path, neo4j_uri=clean_neo4j)
    s.start()
    yield s
    s.close()
