"""Entities, neighbours, paths, Cypher, stats and health through HTTP on both stores."""

from __future__ import annotations

from typing import get_args

from fastapi.testclient import TestClient

from graph.models import NodeLabel, RelType
from graph.store import GraphStore
from search_api.services import Services


def _entity(client: TestClient, name: str, label: str | None = None) -> dict:
    params = {"q": name} | ({"label": label} if label else {})
    r = client.get("/api/entities", params=params)
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    assert results, f"no entity {name}"
    return results[0]


def test_find_entities_by_name_and_alias(client: TestClient) -> None:
    school = _entity(client, "新化县楚怡工业学校")
    assert school["label"] == "Organization" and school["name"] == "新化县楚怡工业学校"
    by_alias = _entity(client, "楚怡职业教育文化馆")
    assert by_alias["label"] == "Programme" and "文化传承基地" in by_alias["name"]
    programmes = client.get("/api/entities", params={"q": "楚怡", "label": "Programme"}).json()["results"]
    assert programmes and all(p["label"] == "Programme" for p in programmes)
    assert client.get("/api/entities", params={"q": "不存在的机构名"}).json()["results"] == []


def test_find_entities_rejects_unknown_label(client: TestClient) -> None:
    r = client.get("/api/entities", params={"q": "楚怡", "label": "Spaceship"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request"


def test_entity_detail_has_relations_with_evidence(client: TestClient) -> None:
    school = _entity(client, "新化县楚怡工业学校")
    r = client.get(f"/api/entities/{school['id']}")
    assert r.status_code == 200
    body = r.json()
    assert body["entity"]["id"] == school["id"]
    assigned = [rel for rel in body["relations"] if rel["type"] == "ASSIGNED_TO"]
    assert assigned and assigned[0]["direction"] == "in"
    assert "文化传承基地" in assigned[0]["other"]["name"]
    evidence = assigned[0]["evidence"]
    assert evidence and "新化县楚怡工业学校" in evidence[0]["text"] and evidence[0]["document_title"]
    assert body["relation_counts"]["ASSIGNED_TO"] >= 1


def test_unknown_entity_is_404_json(client: TestClient) -> None:
    r = client.get("/api/entities/org:does-not-exist")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"


def test_neighbors_of_a_programme(client: TestClient) -> None:
    programme = _entity(client, "楚怡文化传承基地", "Programme")
    r = client.get(f"/api/graph/neighbors/{programme['id']}", params={"depth": 1})
    assert r.status_code == 200
    body = r.json()
    assert body["center"] == programme["id"]
    names = {n["name"] for n in body["nodes"]}
    assert {"湖南工业职业技术学院", "新化县楚怡工业学校"} <= names
    assert all(n["label"] != "Passage" for n in body["nodes"])  # passages are reached through evidence
    ids = {n["id"] for n in body["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in body["edges"])


def test_neighbors_validation_and_404(client: TestClient) -> None:
    assert client.get("/api/graph/neighbors/nope:1").status_code == 404
    programme = _entity(client, "楚怡文化传承基地", "Programme")
    r = client.get(f"/api/graph/neighbors/{programme['id']}", params={"depth": 9})
    assert r.status_code == 422


def test_paths_between_two_schools_by_name(client: TestClient) -> None:
    r = client.get(
        "/api/graph/paths", params={"source": "湖南工业职业技术学院", "target": "新化县楚怡工业学校", "max_hops": 3}
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["source"]["name"] == "湖南工业职业技术学院"
    assert body["paths"]
    shortest = body["paths"][0]
    assert shortest["length"] == len(shortest["edges"]) == len(shortest["nodes"]) - 1 <= 3
    assert shortest["nodes"][0]["id"] == body["source"]["id"] and shortest["nodes"][-1]["id"] == body["target"]["id"]
    lengths = [p["length"] for p in body["paths"]]
    assert lengths == sorted(lengths)


def test_paths_errors(client: TestClient) -> None:
    r = client.get("/api/graph/paths", params={"source": "不存在", "target": "新化县楚怡工业学校"})
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    assert client.get("/api/graph/paths", params={"source": "a"}).status_code == 422
    r = client.get("/api/graph/paths", params={"source": "a", "target": "b", "max_hops": 0})
    assert r.status_code == 422


def test_stats_and_health(client: TestClient, store: GraphStore) -> None:
    stats = client.get("/api/stats").json()
    assert stats["store"] == store.name and stats["documents"] == 1
    assert stats["nodes"]["Passage"] >= 20 and stats["node_total"] == sum(stats["nodes"].values())
    assert stats["relationship_total"] == sum(stats["relationships"].values())
    health = client.get("/healthz").json()
    assert health["status"] == "ok" and health["store"] == store.name and health["documents"] == 1


def test_cypher_read_only(client: TestClient, services: Services) -> None:
    query = "MATCH (p:Programme)-[:ASSIGNED_TO]->(o:Organization) RETURN p.name AS programme, o.name AS org"
    r = client.post("/api/cypher", json={"query": query})
    if services.store.name == "embedded":
        assert r.status_code == 501
        assert r.json()["error"]["code"] == "not_available"
        return
    assert r.status_code == 200, r.text
    rows = r.json()["rows"]
    assert {"programme": "楚怡文化传承基地", "org": "新化县楚怡工业学校"} in rows
    r = client.post(
        "/api/cypher", json={"query": "MATCH (d:Document) WHERE d.title CONTAINS $q RETURN d", "params": {"q": "楚怡"}}
    )
    assert r.status_code == 200 and r.json()["count"] == 1
    before = services.store.stats()
    writes = ("CREATE (n:Organization {id: 'x'}) RETURN n", "MATCH (n) DETACH DELETE n", "DROP INDEX passage_tokens")
    for write in writes:
        r = client.post("/api/cypher", json={"query": write})
        assert r.status_code == 400, write
        assert r.json()["error"]["code"] == "query_refused"
    assert services.store.stats() == before
    r = client.post("/api/cypher", json={"query": "MATCH (n RETURN n"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_query"


def test_unknown_route_and_method_are_json_errors(client: TestClient) -> None:
    r = client.get("/api/nothing-here")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    r = client.put("/api/search", json={})
    assert r.status_code == 405 and r.json()["error"]["code"] == "method_not_allowed"


def test_openapi_has_tags_and_examples(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    tags = {t["name"] for t in spec["tags"]}
    assert {"search", "ask", "documents", "graph", "entities and graph", "health"} <= tags
    paths = spec["paths"]
    for path in ("/api/search", "/api/ask", "/api/ask/stream", "/api/entities", "/api/entities/{entity_id}",
                 "/api/graph/neighbors/{node_id}", "/api/graph/paths", "/api/documents", "/api/documents/{doc_id}",
                 "/api/cypher", "/api/stats", "/healthz"):  # fmt: skip
        assert path in paths, path
    search_schema = spec["components"]["schemas"]["SearchRequest"]
    assert search_schema.get("examples")
    assert "ErrorResponse" in spec["components"]["schemas"]


def test_vocabulary_names_every_label_and_relationship_type(client: TestClient) -> None:
    r = client.get("/api/vocabulary")
    assert r.status_code == 200
    body = r.json()
    assert set(body["labels"]) == set(get_args(NodeLabel)) and body["labels"]["Organization"] == "机构"
    assert set(body["relations"]) == set(get_args(RelType))
    assert body["relations"]["IN_CLASS"]["name"] == "属于专业类"
    assigned = {"name": "承担", "verb": "承担", "outgoing": "承担单位", "incoming": "承担"}
    assert body["relations"]["ASSIGNED_TO"] == assigned
    assert body["organization_kinds"]["school"] == "学校" and body["properties"]["aliases"] == "别称"
    assert set(body["intents"]) >= {"issuer", "carriers", "count", "org_tasks", "alias", "link", "open"}
    spec = client.get("/openapi.json").json()
    assert "/api/vocabulary" in spec["paths"] and "Vocabulary" in spec["components"]["schemas"]
