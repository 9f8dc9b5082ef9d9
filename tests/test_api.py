"""HTTP API on both stores, through FastAPI's test client with the real model and real stores."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from graph.store import GraphStore
from ingest.embedding import SentenceTransformerEmbedder
from ingest.pipeline import IngestPipeline
from search_api.app import create_app
from search_api.search import SearchService
from search_api.services import Services
from search_api.settings import Settings
from tests.conftest import CORPUS_DIR


@pytest.fixture
def client(store: GraphStore, embedder: SentenceTransformerEmbedder, tmp_path: Path) -> Iterator[TestClient]:
    IngestPipeline(store, embedder, max_file_bytes=10**7, progress=False).ingest_paths([CORPUS_DIR])
    settings = Settings(store=store.name, data_dir=tmp_path)  # type: ignore[arg-type]
    services = Services(settings=settings, store=store, embedder=embedder, search=SearchService(store, embedder))
    with TestClient(create_app(settings, services)) as c:
        yield c


def test_healthz(client: TestClient, store: GraphStore) -> None:
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["store"] == store.name
    assert body["documents"] == 1


def test_search_contract(client: TestClient) -> None:
    r = client.post("/api/search", json={"query": "给紧缺技能人才的住房优惠", "top_k": 3})
    assert r.status_code == 200
    body = r.json()
    assert set(body) >= {"results", "took_ms"}
    assert len(body["results"]) == 3
    first = body["results"][0]
    assert set(first) >= {"text", "score", "passage_id", "document", "section", "highlights"}
    assert "住房医疗" in first["text"]
    assert set(first["document"]) >= {"id", "title"}
    spans = first["highlights"]
    assert spans and all(first["text"][h["start"] : h["end"]] == h["text"] for h in spans)


def test_search_rejects_empty_query_with_json_error(client: TestClient) -> None:
    r = client.post("/api/search", json={"query": "", "top_k": 3})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "invalid_request"


def test_search_rejects_bad_top_k(client: TestClient) -> None:
    r = client.post("/api/search", json={"query": "楚怡", "top_k": 0})
    assert r.status_code == 422
