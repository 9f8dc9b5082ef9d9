"""GET/POST/DELETE /api/documents on both stores: multipart upload runs the real ingest pipeline."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from graph.store import GraphStore
from search_api.app import create_app
from tests.api.conftest import MemoEmbedder, make_services
from tests.conftest import SEED

# A second document made of real policy sentences of the seed, under its own heading: it shares
# entities (the schools, the programme) with the seed and adds a passage of its own.
EXCERPT = (
    "关于推进楚怡文化传承基地建设的通知\n\n"
    "支持湖南工业职业技术学院、新化县楚怡工业学校建设“楚怡”文化传承基地（“楚怡”职业教育文化馆）。\n\n"
    "各地要将楚怡文化传承基地建设经费纳入年度预算，确保基地如期建成开放。\n"
)


def _upload(client: TestClient, name: str, data: bytes, content_type: str = "text/plain") -> dict:
    r = client.post("/api/documents", files={"file": (name, data, content_type)})
    assert r.status_code == 201, r.text
    return r.json()


def test_list_documents(client: TestClient) -> None:
    body = client.get("/api/documents").json()
    assert body["count"] == 1
    (doc,) = body["documents"]
    assert "楚怡" in doc["title"] and doc["sha256"] and doc["id"].startswith("doc:")
    one = client.get(f"/api/documents/{doc['id']}")
    assert one.status_code == 200 and one.json()["id"] == doc["id"]
    assert client.get("/api/documents/doc:none").status_code == 404


def test_upload_gbk_text_then_search_and_delete(client: TestClient) -> None:
    seed_before = client.post("/api/search", json={"query": "住房医疗", "top_k": 1}).json()["results"][0]
    school = client.get("/api/entities", params={"q": "新化县楚怡工业学校"}).json()["results"][0]

    body = _upload(client, "楚怡基地通知.txt", EXCERPT.encode("gbk"))
    assert body["status"] == "ingested" and body["passages"] >= 1
    doc = body["document"]
    assert doc["source"] == "楚怡基地通知.txt"
    assert client.get("/api/documents").json()["count"] == 2

    hits = client.post("/api/search", json={"query": "基地建设经费纳入年度预算", "top_k": 3}).json()["results"]
    assert hits[0]["document"]["id"] == doc["id"] and "年度预算" in hits[0]["text"]

    again = _upload(client, "楚怡基地通知.txt", EXCERPT.encode("gbk"))
    assert again["status"] == "unchanged" and again["document"]["id"] == doc["id"]

    r = client.delete(f"/api/documents/{doc['id']}")
    assert r.status_code == 200 and r.json() == {"deleted": doc["id"], "remaining": 1}
    hits = client.post("/api/search", json={"query": "基地建设经费纳入年度预算", "top_k": 5}).json()["results"]
    assert all(h["document"]["id"] != doc["id"] for h in hits)
    # What the seed also brought stays: the shared school entity and the seed's passages.
    assert client.get(f"/api/entities/{school['id']}").status_code == 200
    after = client.post("/api/search", json={"query": "住房医疗", "top_k": 1}).json()["results"][0]
    assert after["passage_id"] == seed_before["passage_id"]
    assert client.delete(f"/api/documents/{doc['id']}").status_code == 404


def test_upload_utf8_markdown_is_answerable(client: TestClient) -> None:
    text = "# 楚怡基地建设通知\n\n各地要将楚怡文化传承基地建设经费纳入年度预算，确保基地如期建成开放。\n"
    _upload(client, "基地通知.md", text.encode("utf-8"), "text/markdown")
    body = client.post("/api/ask", json={"question": "楚怡文化传承基地的建设经费怎么保障？"}).json()
    assert "年度预算" in body["answer"]
    assert any(c["document_title"] != "" and "年度预算" in c["text"] for c in body["citations"])


def test_upload_errors(client: TestClient) -> None:
    r = client.post("/api/documents", files={"file": ("tool.exe", b"MZ\x00\x01", "application/octet-stream")})
    assert r.status_code == 415 and r.json()["error"]["code"] == "unsupported_format"
    r = client.post("/api/documents", files={"file": ("empty.txt", b"", "text/plain")})
    assert r.status_code == 422 and r.json()["error"]["code"] == "ingest_failed"
    r = client.post("/api/documents", files={"file": ("binary.txt", b"\x00\x01\x02" * 100, "text/plain")})
    assert r.status_code == 422
    r = client.post("/api/documents", files={"file": (".hidden.txt", b"abc", "text/plain")})
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_upload"
    r = client.post("/api/documents", data={"nothing": "here"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request"
    assert client.get("/api/documents").json()["count"] == 1


def test_upload_over_the_size_limit_is_413(store: GraphStore, memo_embedder: MemoEmbedder, tmp_path: Path) -> None:
    services = make_services(store, memo_embedder, tmp_path / "data", max_file_bytes=1000)
    with TestClient(create_app(services.settings, services)) as client:
        r = client.post("/api/documents", files={"file": ("seed.txt", SEED.read_bytes(), "text/plain")})
        assert r.status_code == 413 and r.json()["error"]["code"] == "file_too_large"
        assert client.get("/api/documents").json()["count"] == 0
