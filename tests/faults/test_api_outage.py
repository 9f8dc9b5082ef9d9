"""A live API (uvicorn in a subprocess) through Neo4j outages, never restarted: while Neo4j is down it answers
503 `store_unavailable` (the driver's timeouts are short: tests/graph/test_neo4j_heal.py checks they reach the
driver, scripts/bench_outage.py measures the time to the 503); when Neo4j is back on the same data folder it
answers as before; when Neo4j comes back EMPTY (a new data folder on the same port) search and ask answer
without a 500 (the schema made again), and an upload is stored once."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.api.conftest import MemoEmbedder
from tests.faults.conftest import Neo4jServer, ids_held_twice, live_server, schema_names, seed_database

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

SEARCH = {"query": "楚怡文化传承基地", "top_k": 5}
ASK = {"question": "楚怡文化传承基地又叫什么？"}
NOTICE = "关于楚怡基地建设的通知\n\n各地要将楚怡文化传承基地建设经费纳入年度预算，确保基地如期建成开放。\n"
RECOVERY_S = 120  # the first request after an empty restart makes the 21 constraints and indexes again


def _hit_ids(response: httpx.Response) -> list[str]:
    return [hit["passage_id"] for hit in response.json()["results"]]


def _until_answered(call: Callable[[], httpx.Response]) -> httpx.Response:
    """Calls again while the answer is 503 (the server is still coming up); any other answer is returned
    (so a 500 fails the caller's assertion)."""
    deadline = time.monotonic() + RECOVERY_S
    while True:
        response = call()
        if response.status_code != 503 or time.monotonic() > deadline:
            return response
        time.sleep(0.5)


def _assert_unavailable(client: httpx.Client) -> None:
    for response in (
        client.post("/api/search", json=SEARCH),
        client.post("/api/ask", json=ASK),
        client.get("/api/documents"),
        client.get("/healthz"),
    ):
        assert response.status_code == 503, (response.request.url, response.status_code, response.text)
        assert response.json()["error"]["code"] == "store_unavailable"


def test_the_api_answers_503_while_neo4j_is_down_and_recovers(
    neo4j_server: Neo4jServer, memo_embedder: MemoEmbedder, tmp_path: Path
) -> None:
    data = tmp_path / "neo4j-data"
    uri = neo4j_server.start(data)
    seed_database(uri, memo_embedder, tmp_path)
    server = live_server(uri, tmp_path)
    try:
        with httpx.Client(base_url=server.url, timeout=60) as client:
            before = client.post("/api/search", json=SEARCH)
            assert before.status_code == 200 and _hit_ids(before)
            answer = client.post("/api/ask", json=ASK)
            assert answer.status_code == 200

            neo4j_server.stop()
            _assert_unavailable(client)
            _assert_unavailable(client)  # and again: still 503, no other failure once the pool knows

            neo4j_server.start(data)
            after = _until_answered(lambda: client.post("/api/search", json=SEARCH))
            assert after.status_code == 200, after.text
            assert _hit_ids(after) == _hit_ids(before)
            again = client.post("/api/ask", json=ASK)
            assert again.status_code == 200 and again.json()["answer"] == answer.json()["answer"]
            assert client.get("/api/documents").json()["count"] == 1
    finally:
        server.stop()


def test_the_api_recovers_when_neo4j_comes_back_empty(
    neo4j_server: Neo4jServer, memo_embedder: MemoEmbedder, tmp_path: Path
) -> None:
    uri = neo4j_server.start(tmp_path / "neo4j-data")
    seed_database(uri, memo_embedder, tmp_path)
    server = live_server(uri, tmp_path)
    try:
        with httpx.Client(base_url=server.url, timeout=120) as client:
            assert client.post("/api/search", json=SEARCH).status_code == 200
            neo4j_server.stop()
            neo4j_server.start(tmp_path / "empty-neo4j-data")  # the same port, nothing in it: no schema either

            # No 500 ("There is no such vector schema index"): the schema is made again, the store is empty.
            searched = _until_answered(lambda: client.post("/api/search", json=SEARCH))
            assert searched.status_code == 200, searched.text
            assert _hit_ids(searched) == []
            for mode in ("dense", "keyword"):
                r = client.post("/api/search", json={**SEARCH, "mode": mode})
                assert r.status_code == 200, (mode, r.text)
            asked = client.post("/api/ask", json=ASK)
            assert asked.status_code == 200, asked.text
            assert {"node_id", "passage_embedding", "passage_tokens"} <= schema_names(uri)

            files = {"file": ("基地通知.txt", NOTICE.encode("utf-8"), "text/plain")}
            uploaded = client.post("/api/documents", files=files)
            assert uploaded.status_code in (200, 201), uploaded.text
            found = client.post("/api/search", json={"query": "楚怡文化传承基地建设经费", "top_k": 3})
            assert found.status_code == 200 and _hit_ids(found), found.text
            assert client.get("/api/documents").json()["count"] == 1
            assert ids_held_twice(uri) == []
    finally:
        server.stop()
