"""POST /api/search on both stores: contract, hybrid vs single lists, filters, paging, highlights, errors."""

from __future__ import annotations

from fastapi.testclient import TestClient

from search_api.services import Services


def _search(client: TestClient, **body: object) -> dict:
    r = client.post("/api/search", json=body)
    assert r.status_code == 200, r.text
    return r.json()


def test_search_contract(client: TestClient) -> None:
    body = _search(client, query="给紧缺技能人才的住房优惠", top_k=3)
    assert set(body) >= {"results", "took_ms", "total", "offset", "top_k", "mode"}
    assert body["mode"] == "hybrid" and body["took_ms"] >= 0
    assert len(body["results"]) == 3
    first = body["results"][0]
    assert set(first) >= {"text", "score", "passage_id", "document", "section", "highlights"}
    assert "住房医疗" in first["text"]
    assert "楚怡" in first["document"]["title"] and first["document"]["id"].startswith("doc:")
    scores = [r["score"] for r in body["results"]]
    assert scores == sorted(scores, reverse=True)
    assert [r["rank"] for r in body["results"]] == [1, 2, 3]


def test_highlights_are_exact_spans_of_query_words(client: TestClient) -> None:
    body = _search(client, query="楚怡文化传承基地", top_k=5)
    for r in body["results"]:
        for h in r["highlights"]:
            assert r["text"][h["start"] : h["end"]] == h["text"]
            assert len(h["text"]) >= 2  # single characters (的, 给) are not marked
        starts = [h["start"] for h in r["highlights"]]
        ends = [h["end"] for h in r["highlights"]]
        assert all(e <= s for e, s in zip(ends, starts[1:], strict=False))  # sorted, not overlapping
    assert any("文化传承基地" in h["text"] or "传承" in h["text"] for h in body["results"][0]["highlights"])


def test_modes_dense_and_keyword_are_single_lists(client: TestClient) -> None:
    dense = _search(client, query="技能人才的孩子上学问题", top_k=5, mode="dense")
    keyword = _search(client, query="技能人才的孩子上学问题", top_k=5, mode="keyword")
    hybrid = _search(client, query="技能人才的孩子上学问题", top_k=5)
    assert all(r["keyword_rank"] is None and r["dense_rank"] for r in dense["results"])
    assert all(r["dense_rank"] is None and r["keyword_rank"] for r in keyword["results"])
    assert any(r["dense_rank"] and r["keyword_rank"] for r in hybrid["results"])  # both lists voted
    assert any("子女就学" in r["text"] for r in hybrid["results"][:3])


def test_paging_by_offset_and_page(client: TestClient) -> None:
    full = _search(client, query="楚怡 学校 建设", top_k=10)
    ids = [r["passage_id"] for r in full["results"]]
    assert len(ids) == 10 and len(set(ids)) == 10
    page2 = _search(client, query="楚怡 学校 建设", top_k=5, page=2)
    offset = _search(client, query="楚怡 学校 建设", top_k=5, offset=5)
    assert [r["passage_id"] for r in page2["results"]] == ids[5:10]
    assert [r["passage_id"] for r in offset["results"]] == ids[5:10]
    assert page2["offset"] == 5 and [r["rank"] for r in page2["results"]] == [6, 7, 8, 9, 10]
    beyond = _search(client, query="楚怡 学校 建设", top_k=5, offset=1000)
    assert beyond["results"] == []


def test_filter_by_document(client: TestClient, services: Services) -> None:
    (doc,) = services.store.list_documents()
    inside = _search(client, query="楚怡", top_k=3, filters={"documents": [doc.id]})
    assert inside["results"] and all(r["document"]["id"] == doc.id for r in inside["results"])
    outside = _search(client, query="楚怡", top_k=3, filters={"documents": ["doc:none"]})
    assert outside["results"] == []


def test_filter_by_section_prefix(client: TestClient, services: Services) -> None:
    unfiltered = _search(client, query="楚怡职业教育", top_k=20)
    sections = [r["section"] for r in unfiltered["results"] if r["section"]]
    assert sections, "the seed's passages carry section paths"
    prefix = sections[0].split("/")[0]
    body = _search(client, query="楚怡职业教育", top_k=20, filters={"section": prefix})
    assert body["results"]
    assert all(r["section"].startswith(prefix) for r in body["results"])
    none = _search(client, query="楚怡职业教育", top_k=5, filters={"section": "九十九"})
    assert none["results"] == []


def test_filter_by_issuer(client: TestClient, services: Services) -> None:
    (doc,) = services.store.list_documents()
    issued = _search(client, query="楚怡", top_k=3, filters={"issuers": ["湖南省教育厅"]})
    assert issued["results"] and all(r["document"]["id"] == doc.id for r in issued["results"])
    other = _search(client, query="楚怡", top_k=3, filters={"issuers": ["湖南省财政厅"]})
    assert other["results"] == []


def test_filter_by_entity(client: TestClient, services: Services) -> None:
    found = client.get("/api/entities", params={"q": "新化县楚怡工业学校"}).json()["results"]
    assert found, "the seed names 新化县楚怡工业学校"
    body = _search(client, query="建设", top_k=10, filters={"entities": [found[0]["id"]]})
    assert body["results"]
    assert all("新化县楚怡工业学校" in r["text"] for r in body["results"])


def test_search_on_empty_store_returns_nothing(empty_client: TestClient) -> None:
    r = empty_client.post("/api/search", json={"query": "楚怡"})
    assert r.status_code == 200 and r.json()["results"] == []


def test_search_rejects_empty_query_with_json_error(client: TestClient) -> None:
    r = client.post("/api/search", json={"query": "", "top_k": 3})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "invalid_request"
    assert "query" in r.json()["error"]["message"]


def test_search_rejects_bad_paging_and_mode(client: TestClient) -> None:
    bad = ({"query": "楚怡", "top_k": 0}, {"query": "楚怡", "page": 0}, {"query": "楚怡", "mode": "x"}, {"query": " "})
    for body in bad:
        r = client.post("/api/search", json=body)
        assert r.status_code == 422, body
        assert r.json()["error"]["code"] == "invalid_request"


def test_search_rejects_malformed_json(client: TestClient) -> None:
    r = client.post("/api/search", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "invalid_request"
