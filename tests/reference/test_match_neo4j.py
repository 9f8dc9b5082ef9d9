"""Matching on a real Neo4j: the reference step of ingest, the issue's quality cases through HTTP, and
SERVES queried with Cypher as a researcher would."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from graph.factory import make_store
from ingest.embedding import Embedder
from search_api.app import create_app
from search_api.services import Services
from tests.reference.cases import ISSUE_CASES
from tests.reference.conftest import load_reference_step, reference_settings


@pytest.mark.neo4j
@pytest.mark.slow  # loads and embeds the whole reference data into Neo4j
def test_matching_on_neo4j(
    clean_neo4j: str, reference_dir: Path, match_data_dir: Path, embedder: Embedder
) -> None:
    store = make_store("neo4j", data_dir=match_data_dir, neo4j_uri=clean_neo4j)
    store.start()
    try:
        services = Services.create(reference_settings(store, reference_dir, match_data_dir), store, embedder)
        load = load_reference_step(services)
        assert load.serves is not None and load.serves.chain_relations > 100
        assert store.stats().nodes["Specialty"] == 1349
        with TestClient(create_app(services.settings, services)) as client:
            for case in ISSUE_CASES:
                r = client.post(
                    "/api/match/specialties", json={"industry": case.industry, "level": case.level, "top_k": case.top}
                )
                assert r.status_code == 200, r.text
                names = [x["name"] for x in r.json()["results"]]
                assert set(case.expect) <= set(names), names
            assert client.post("/api/match/specialties", json={"industry": "qwertyuiop"}).status_code == 404
        rows = store.cypher_read(
            "MATCH (s:Specialty)-[r:SERVES]->(c:IndustryChain {name: $chain}) WHERE s.level = $level "
            "RETURN s.name AS name, r.score AS score ORDER BY r.score DESC LIMIT 10",
            {"chain": "新能源汽车", "level": "高职专科"},
        )
        assert rows[0]["name"] == "新能源汽车技术"
        assert all(0 < row["score"] <= 1 for row in rows)
    finally:
        store.close()
