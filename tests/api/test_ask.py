"""POST /api/ask and GET /api/ask/stream on both stores, with the real model and the real seed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from graph.errors import StoreUnavailable
from graph.factory import make_store
from graph.models import StoreStats
from search_api.app import create_app
from search_api.services import Services
from tests.api.conftest import MemoEmbedder, make_services


def _ask(client: TestClient, question: str) -> dict:
    r = client.post("/api/ask", json={"question": question})
    assert r.status_code == 200, r.text
    return r.json()


def _passage_ids(services: Services) -> set[str]:
    return {n.id for n in services.store.export_json(["Passage"]).nodes}


def test_ask_contract_and_citations_are_store_passages(client: TestClient, services: Services) -> None:
    body = _ask(client, "楚怡职业教育精神传承人要弘扬哪些精神理念？")
    assert set(body) >= {"answer", "citations", "facts", "intent", "mode", "entities", "took_ms"}
    for must in ("艰苦奋斗", "创新创业", "文明风采"):
        assert must in body["answer"]
    assert body["citations"]
    known = _passage_ids(services)
    for c in body["citations"]:
        assert set(c) >= {"passage_id", "text", "document_title"}
        assert c["passage_id"] in known
        assert "楚怡" in c["document_title"]
    # An extractive answer: the best sentence of the first citation, not the whole passage.
    assert body["mode"] == "extractive"
    assert len(body["answer"]) < len(body["citations"][0]["text"])
    assert body["answer"] in body["citations"][0]["text"]


def test_dev_ask_questions(client: TestClient, dev_ask_item: dict) -> None:
    body = _ask(client, dev_ask_item["q"])
    for must in dev_ask_item["must"]:
        assert must in body["answer"], (dev_ask_item["q"], body["answer"])
    assert body["citations"]


def test_issuer_question_is_answered_from_the_graph(client: TestClient) -> None:
    body = _ask(client, "这份文件由哪些部门联合发布？")
    assert body["intent"] == "issuer" and body["mode"] == "graph"
    depts = ("湖南省发展和改革委员会", "湖南省教育厅", "湖南省司法厅", "湖南省卫生健康委员会", "湖南省市场监督管理局")
    positions = [body["answer"].find(d) for d in depts]
    assert all(p >= 0 for p in positions)
    assert positions == sorted(positions)  # in the order the document lists them
    assert body["facts"] and all(f["predicate"] in ("ISSUED_BY", "issuers") for f in body["facts"])
    assert body["citations"]


def test_yes_no_issuer_question_says_no_for_a_non_issuer(client: TestClient) -> None:
    body = _ask(client, "湖南省财政厅参与发布了这份文件吗？")
    assert body["intent"] == "issuer"
    assert body["answer"].startswith("否"), body["answer"]
    assert body["citations"]


def test_carriers_question_lists_the_schools(client: TestClient) -> None:
    body = _ask(client, "哪些学校被支持建设楚怡文化传承基地？")
    assert "湖南工业职业技术学院" in body["answer"] and "新化县楚怡工业学校" in body["answer"]
    assert body["citations"]
    assert body["mode"] == "graph"
    assert any(f["predicate"] == "ASSIGNED_TO" for f in body["facts"])


def test_count_question_gives_the_number_with_its_evidence(client: TestClient) -> None:
    body = _ask(client, "遴选建设几所楚怡优秀技工院校？")
    assert body["intent"] == "count"
    assert "5" in body["answer"]
    assert any("技工院校" in c["text"] for c in body["citations"])


def test_task_question_about_a_school_names_its_programme(client: TestClient) -> None:
    body = _ask(client, "湖南工业职业技术学院要承担什么任务？")
    assert body["intent"] == "org_tasks" and body["mode"] == "graph"
    assert "文化传承基地" in body["answer"]
    assert any(f["predicate"] == "ASSIGNED_TO" for f in body["facts"])
    assert any("湖南工业职业技术学院" in c["text"] for c in body["citations"])


def test_task_question_about_an_issuing_department_says_it_issued_the_plan(client: TestClient) -> None:
    body = _ask(client, "湖南省卫生健康委员会在文件中承担什么？")
    assert body["intent"] == "org_tasks" and body["mode"] == "graph"
    assert "发布单位" in body["answer"] and "湖南省卫生健康委员会" in body["answer"]
    assert any(f["predicate"] == "ISSUED_BY" for f in body["facts"])
    assert body["citations"]


def test_link_question_uses_paths(client: TestClient) -> None:
    body = _ask(client, "湖南工业职业技术学院和新化县楚怡工业学校有什么联系？")
    assert "文化传承基地" in body["answer"]
    assert body["citations"]
    assert body["mode"] == "graph"
    assert body["intent"] == "link" and body["facts"]


def test_question_with_no_match_on_empty_store(empty_client: TestClient) -> None:
    body = empty_client.post("/api/ask", json={"question": "楚怡文化传承基地又叫什么？"}).json()
    assert body["mode"] == "none" and body["citations"] == [] and body["answer"]


def test_ask_rejects_empty_and_overlong_questions(client: TestClient) -> None:
    for question in ("", "   ", "楚" * 501):
        r = client.post("/api/ask", json={"question": question})
        assert r.status_code == 422
        assert r.json()["error"]["code"] == "invalid_request"
    assert client.post("/api/ask", json={}).status_code == 422


def _events(text: str) -> list[tuple[str, object]]:
    events = []
    for block in text.strip().split("\n\n"):
        lines = block.split("\n")
        name = next(line[6:].strip() for line in lines if line.startswith("event:"))
        data = "\n".join(line[5:].lstrip() for line in lines if line.startswith("data:"))
        events.append((name, json.loads(data)))
    return events


def test_stream_sends_the_same_answer_as_events(client: TestClient) -> None:
    question = "楚怡文化传承基地又叫什么？"
    plain = _ask(client, question)
    with client.stream("GET", "/api/ask/stream", params={"question": question}) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        text = "".join(r.iter_text())
    events = _events(text)
    names = [n for n, _ in events]
    assert names[0] == "meta" and names[-1] == "done"
    assert {"delta", "citations", "facts"} <= set(names)
    streamed = "".join(d["text"] for n, d in events if n == "delta")  # type: ignore[index]
    done = events[-1][1]
    assert isinstance(done, dict)
    assert streamed == done["answer"] == plain["answer"]
    assert "职业教育文化馆" in streamed
    citations = next(d for n, d in events if n == "citations")
    assert citations == done["citations"] == plain["citations"]


def test_stream_rejects_missing_or_blank_question(client: TestClient) -> None:
    for params in ({}, {"question": "  "}):
        r = client.get("/api/ask/stream", params=params)
        assert r.status_code == 422
        assert r.json()["error"]["code"] == "invalid_request"


def test_stream_tells_a_failure_mid_answer_as_an_error_event(
    memo_embedder: MemoEmbedder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store was up when the request came in and goes away while the answer is worked out: the
    stream has started (200), so the failure arrives as an `error` event with the error JSON."""
    store = make_store("embedded", data_dir=tmp_path / "data")
    store.start()
    services = make_services(store, memo_embedder, tmp_path / "data")

    def unreachable() -> StoreStats:
        raise StoreUnavailable("bolt://127.0.0.1:7687 is unreachable")

    def broken() -> StoreStats:
        raise RuntimeError("a bug with internals in its message")

    with TestClient(create_app(services.settings, services)) as client:
        # What a question reads first is the store's revision (its caches key on it); stats as well.
        monkeypatch.setattr(store, "revision", unreachable)
        monkeypatch.setattr(store, "stats", unreachable)
        with client.stream("GET", "/api/ask/stream", params={"question": "楚怡文化传承基地又叫什么？"}) as r:
            assert r.status_code == 200
            events = _events("".join(r.iter_text()))
        error = {"error": {"code": "store_unavailable", "message": "bolt://127.0.0.1:7687 is unreachable"}}
        assert events == [("error", error)]
        # The same failure before a response has started is an ordinary error response, same body.
        r = client.post("/api/ask", json={"question": "楚怡文化传承基地又叫什么？"})
        assert r.status_code == 503 and r.json() == error

        monkeypatch.setattr(store, "revision", broken)
        monkeypatch.setattr(store, "stats", broken)
        with client.stream("GET", "/api/ask/stream", params={"question": "楚怡"}) as r:
            events = _events("".join(r.iter_text()))
        assert events == [("error", {"error": {"code": "internal_error", "message": "internal error"}})]
    store.close()
