"""/api/cypher on Neo4j: the issue's escapes are refused with 400 in the error shape, names in any script
answer, the allow-listed procedures run, and nothing written gets through."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from search_api.services import Services
from tests.api.trust_fixtures import AUTH, KEYS, serve

pytestmark = pytest.mark.parametrize("store", [pytest.param("neo4j", marks=pytest.mark.neo4j)], indirect=True)

ESCAPES = [
    "CALL `dbms`.`listConfig`() YIELD name RETURN name",
    "CALL `dbms`.`killConnections`(['bolt-1'])",
    "CALL dbms /* x */ . listConfig() YIELD name RETURN name",
    "CALL { CALL `dbms`.`listConfig`() YIELD name RETURN name } RETURN name",
    "RETURN `apoc`.`text`.`join`(['a'], ',') AS x",
    "MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS",
]

READS = [
    "CALL db.labels() YIELD label RETURN label",
    "CALL db.schema.nodeTypeProperties()",
    "CALL db.relationshipTypes()",
    "CALL db.propertyKeys()",
    "CALL db.schema.visualization()",
]


@pytest.fixture
def keyed_client(services: Services) -> Iterator[TestClient]:
    keyed = services.settings.model_copy(update={"api_keys": SecretStr(KEYS)})
    services.settings = keyed
    with serve(services) as client:
        yield client


def test_escapes_are_refused_and_names_in_any_script_answer(keyed_client: TestClient, services: Services) -> None:
    before = services.store.stats()
    for query in ESCAPES:
        r = keyed_client.post("/api/cypher", json={"query": query}, headers=AUTH)
        assert r.status_code == 400 and r.json()["error"]["code"] == "query_refused", (query, r.text)
    r = keyed_client.post("/api/cypher", json={"query": "MATCH (d:Document) RETURN d.title AS 标题"}, headers=AUTH)
    assert r.status_code == 200 and "楚怡" in r.json()["rows"][0]["标题"]
    for query in READS:
        r = keyed_client.post("/api/cypher", json={"query": query}, headers=AUTH)
        assert r.status_code == 200, (query, r.text)
    assert keyed_client.post("/api/cypher", json={"query": "RETURN 1"}).status_code == 401
    assert services.store.stats() == before


def test_a_query_that_fails_inside_neo4j_is_a_400(keyed_client: TestClient) -> None:
    # Neo4j 5.26's parser throws an internal error on these (found by schemathesis); the query is at fault.
    for query in ["*", " **", "RETURN *"]:
        r = keyed_client.post("/api/cypher", json={"query": query}, headers=AUTH)
        assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_query", (query, r.text)
    assert keyed_client.post("/api/cypher", json={"query": "RETURN 1 AS one"}, headers=AUTH).json()["rows"] == [
        {"one": 1}
    ]
