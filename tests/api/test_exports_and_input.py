"""Exports through the API (GraphML, JSON, CSV), the document list's fields, the OpenAPI declarations the
page and generated clients rely on, the stream's single delta, and Chinese messages for bad questions."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from fastapi.testclient import TestClient

from search_api.question_text import MAX_QUESTION_CHARS


def test_graph_export_graphml_is_an_attachment_networkx_reads(client: TestClient) -> None:
    r = client.get("/api/export/graph", params={"format": "graphml"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/graphml+xml")
    assert "attachment" in r.headers["content-disposition"] and ".graphml" in r.headers["content-disposition"]
    ET.fromstring(r.content)  # well-formed XML
    g = nx.read_graphml(io.BytesIO(r.content))
    stats = client.get("/api/stats").json()
    assert g.number_of_nodes() == sum(stats["nodes"].values())
    labels = {d["label"] for _, d in g.nodes(data=True)}
    assert {"Document", "Passage", "Organization"} <= labels


def test_graph_export_json_and_labels(client: TestClient) -> None:
    r = client.get("/api/export/graph", params={"format": "json", "labels": ["Organization"]})
    assert r.status_code == 200, r.text
    assert "attachment" in r.headers["content-disposition"]
    body = json.loads(r.content)
    assert body["nodes"] and {n["label"] for n in body["nodes"]} == {"Organization"}
    assert client.get("/api/export/graph", params={"format": "pdf"}).status_code == 422


def test_search_export_is_csv_with_bom(client: TestClient) -> None:
    body = {"query": "楚怡文化传承基地", "top_k": 5}
    r = client.post("/api/search/export", json=body)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    assert r.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert list(rows[0]) == ["rank", "title", "section", "text", "score", "passage_id", "document_id"]
    search = client.post("/api/search", json=body).json()["results"]
    assert [row["passage_id"] for row in rows] == [x["passage_id"] for x in search]
    assert rows[0]["rank"] == "1" and "楚怡" in rows[0]["text"]


def test_documents_list_carries_the_library_fields(client: TestClient) -> None:
    body = client.get("/api/documents").json()
    assert body["count"] == len(body["documents"]) == 1
    doc = body["documents"][0]
    assert {"id", "title", "kind", "issuers", "date", "status", "passages"} <= set(doc)
    assert doc["passages"] == client.get("/healthz").json()["passages"] > 0
    assert doc["status"] == "current" and doc["issuers"] and doc["versions"] == 1


@pytest.mark.parametrize("question", ["", "   \n", "\u3000"])
def test_empty_question_is_refused_in_chinese(client: TestClient, question: str) -> None:
    for r in (
        client.post("/api/ask", json={"question": question}),
        client.get("/api/ask/stream", params={"question": question}),
    ):
        assert r.status_code == 422
        assert r.json()["error"]["message"] == "问题（question）不能为空，请输入内容。"
    r = client.post("/api/search", json={"query": question})
    assert r.status_code == 422 and r.json()["error"]["message"].startswith("搜索内容（query）不能为空")


def test_long_question_is_refused_naming_the_limit(client: TestClient) -> None:
    long = "楚怡" * 2500  # 5,000 characters: refused, never cut to the limit
    for r in (
        client.post("/api/ask", json={"question": long}),
        client.get("/api/ask/stream", params={"question": long}),
        client.post("/api/search", json={"query": long}),
    ):
        assert r.status_code == 422
        message = r.json()["error"]["message"]
        assert f"最多{MAX_QUESTION_CHARS}个字" in message and "5000" in message
    at_limit = "楚怡文化传承基地又叫什么？".ljust(MAX_QUESTION_CHARS, "。")
    assert client.post("/api/ask", json={"question": at_limit}).status_code == 200


def test_stream_sends_the_computed_answer_in_one_delta(client: TestClient) -> None:
    r = client.get("/api/ask/stream", params={"question": "楚怡文化传承基地又叫什么？"})
    assert r.status_code == 200
    events = [line.removeprefix("event: ") for line in r.text.splitlines() if line.startswith("event: ")]
    assert events == ["meta", "delta", "citations", "facts", "done"]
    blocks = [b for b in r.text.split("\n\n") if b.startswith("event: delta")]
    delta = json.loads(blocks[0].split("data: ", 1)[1])
    done = json.loads(r.text.split("event: done\ndata: ", 1)[1].strip())
    assert delta["text"] == done["answer"]


def test_openapi_declares_the_upload_binary_and_the_stream(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    upload = spec["paths"]["/api/documents"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert upload["properties"]["file"] == {**upload["properties"]["file"], "type": "string", "format": "binary"}
    assert upload["required"] == ["file"]
    stream = spec["paths"]["/api/ask/stream"]["get"]["responses"]["200"]["content"]["text/event-stream"]
    described = stream["schema"]["description"]
    for event in ("meta", "delta", "citations", "facts", "related", "done", "error"):
        assert f"`{event}`" in described
    question = next(p for p in spec["paths"]["/api/ask/stream"]["get"]["parameters"] if p["name"] == "question")
    assert question["schema"]["maxLength"] == MAX_QUESTION_CHARS
    ask = spec["components"]["schemas"]["AskResponse"]["properties"]
    assert "link" in ask
    for path in ("/api/export/graph", "/api/search/export", "/api/match/schools", "/api/match/chains"):
        assert path in spec["paths"]


def test_graph_nodes_and_edges_carry_chinese_names(client: TestClient) -> None:
    vocabulary = client.get("/api/vocabulary").json()
    programme = client.get("/api/entities", params={"q": "楚怡文化传承基地"}).json()["results"][0]
    assert programme["label_zh"] == vocabulary["labels"]["Programme"]
    sub = client.get(f"/api/graph/neighbors/{programme['id']}").json()
    assert sub["nodes"] and all(n["label_zh"] == vocabulary["labels"][n["label"]] for n in sub["nodes"])
    assert sub["edges"] and all(e["type_zh"] == vocabulary["relations"][e["type"]]["name"] for e in sub["edges"])
    detail = client.get(f"/api/entities/{programme['id']}").json()
    assert all(r["type_zh"] and not r["type_zh"].isascii() for r in detail["relations"])
