"""503 when the store cannot be reached, and recovery once it can (real Neo4j driver, real ports)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from graph.errors import StoreUnavailable
from graph.neo4j_store import Neo4jStore
from search_api.app import create_app
from search_api.settings import Settings
from tests.api.conftest import MemoEmbedder, free_port, make_services
from tests.conftest import MODEL_DIR

CALLS: list[tuple[str, str, dict | None]] = [
    ("GET", "/healthz", None),
    ("POST", "/api/search", {"query": "楚怡"}),
    ("POST", "/api/ask", {"question": "楚怡文化传承基地又叫什么？"}),
    ("GET", "/api/ask/stream?question=楚怡", None),
    ("GET", "/api/entities?q=楚怡", None),
    ("GET", "/api/stats", None),
    ("GET", "/api/documents", None),
]


def _assert_all_503(client: TestClient) -> None:
    for method, path, body in CALLS:
        r = client.request(method, path, json=body)
        assert r.status_code == 503, (path, r.status_code, r.text)
        error = r.json()["error"]
        assert error["code"] == "store_unavailable" and "127.0.0.1" in error["message"]


def test_neo4j_on_a_closed_port_gives_503(memo_embedder: MemoEmbedder, tmp_path: Path) -> None:
    store = Neo4jStore(f"bolt://127.0.0.1:{free_port()}", "neo4j", "neo4j")
    with pytest.raises(StoreUnavailable):
        store.start()
    services = make_services(store, memo_embedder, tmp_path)
    services.store_ready = False
    with TestClient(create_app(services.settings, services)) as client:
        _assert_all_503(client)
        # What needs no store still answers: the page's vocabulary.
        assert client.get("/api/vocabulary").status_code == 200


def test_app_starts_with_the_store_down_and_answers_503(tmp_path: Path) -> None:
    """The real start-up path (lifespan builds everything from Settings): the page and OpenAPI work,
    everything that needs the store says 503 instead of the process refusing to start."""
    settings = Settings(
        store="neo4j",
        neo4j_uri=f"bolt://127.0.0.1:{free_port()}",
        data_dir=tmp_path,
        embedding_model=str(MODEL_DIR),
    )
    with TestClient(create_app(settings)) as client:
        assert client.get("/").status_code == 200
        assert client.get("/openapi.json").status_code == 200
        _assert_all_503(client)


@pytest.mark.neo4j
def test_requests_recover_when_the_store_comes_up(
    clean_neo4j: str, memo_embedder: MemoEmbedder, tmp_path: Path
) -> None:
    store = Neo4jStore(clean_neo4j, "neo4j", "neo4j")  # reachable, but not started at start-up
    services = make_services(store, memo_embedder, tmp_path)
    services.store_ready = False
    with TestClient(create_app(services.settings, services)) as client:
        r = client.get("/healthz")
        assert r.status_code == 200 and r.json()["store"] == "neo4j"
        assert services.store_ready
    store.close()
