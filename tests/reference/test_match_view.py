"""What the page's matching view and the chat read from matching (real model, the reference store):
plain-Chinese reasons with structured evidence, compound names, a school's level from the institutions
list, the pickers, and chat questions about chains and 专业 answered by matching."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from search_api.matching.schemas import SIGNAL_NAMES

# What a reason must never show: similarity numbers, raw code arrows, GB/T codes.
_TECHNICAL = re.compile(r"\d\.\d|→|->|\(\d{4}\)|相似度")


def test_reasons_are_plain_chinese_and_evidence_is_structured(client: TestClient) -> None:
    r = client.post("/api/match/specialties", json={"chain": "工程机械", "level": "高职专科", "k": 10})
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    assert len(results) == 10
    for x in results:
        assert x["reason"] and "\n" not in x["reason"] and not _TECHNICAL.search(x["reason"]), x["reason"]
        assert all(s["label"] == SIGNAL_NAMES[s["signal"]] for s in x["signal_list"])
    first = results[0]
    assert first["reason"].startswith("工程机械产业链的") and "专业目录对照表" in first["reason"]
    row = next(e for e in first["evidence"] if e["kind"] == "crosswalk")
    assert row["label"] == "专业目录对照表"
    assert set(row["row"]) >= {"class_name", "class_code", "industry_code", "industry_name", "role", "reason"}


def test_cited_passages_carry_title_and_text(client: TestClient) -> None:
    r = client.post("/api/match/specialties", json={"industry": "健康养老", "level": "高职专科", "top_k": 20})
    nursing = next(x for x in r.json()["results"] if x["name"] == "护理")
    passage = next(e for e in nursing["evidence"] if e["kind"] == "passage")
    assert passage["passage_id"] == passage["ref"]
    assert passage["title"] == "中华人民共和国职业教育法"
    assert "护理" in passage["text"] and "康养" in passage["text"]
    assert "政策文件" in nursing["reason"]


def test_reverse_reasons(client: TestClient) -> None:
    r = client.post("/api/match/industries", json={"specialty": "数控技术", "level": "高职专科", "k": 20})
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    assert {x["kind"] for x in results} == {"industry", "chain"}
    assert all(x["reason"] and not _TECHNICAL.search(x["reason"]) for x in results)
    chain = next(x for x in results if x["kind"] == "chain")
    assert chain["reason"].startswith(f"在{chain['name']}产业链")


def test_compound_names_match_every_part(client: TestClient) -> None:
    r = client.post("/api/match/specialties", json={"industry": "现代种业与粮食生产", "level": "高职专科", "k": 10})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["target"]["kind"] == "compound"
    assert [p["name"] for p in body["target"]["parts"]] == ["现代种业", "粮食生产"]
    parts = {x["part"] for x in body["results"]}
    assert parts == {"现代种业", "粮食生产"}
    names = [x["name"] for x in body["results"]]
    assert "种子生产与经营" in names and "粮食工程技术与管理" in names
    # One name with 及 inside stays one name.
    whole = client.post("/api/match/specialties", json={"industry": "中小航空发动机及航空航天装备", "top_k": 3})
    assert whole.json()["target"]["kind"] == "chain"


def test_gaps_take_the_level_of_a_secondary_school(client: TestClient) -> None:
    """新化县楚怡工业学校 (named in the seed) is not on the list of higher-education institutions: 中职."""
    r = client.post(
        "/api/match/gaps",
        json={"chain": "工程机械", "school": "新化县楚怡工业学校", "offerings": ["数控技术应用", "机械制造技术"]},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["level"] == "中职" and body["level_source"] == "name"
    assert body["unknown_offerings"] == []
    assert set(body["offered"]) == {"数控技术应用", "机械制造技术"}
    assert all(x["level"] == "中职" for x in body["covered"] + body["missing"])
    listed = client.post(
        "/api/match/gaps", json={"industry": "工程机械", "school": "湖南工业职业技术学院", "offerings": ["数控技术"]}
    ).json()
    assert listed["level"] == "高职专科" and listed["level_source"] == "institutions"
    assert listed["school_info"]["region"] == "长沙市"


def test_school_and_chain_pickers(client: TestClient) -> None:
    schools = client.get("/api/match/schools", params={"q": "湖南工业职业"}).json()["schools"]
    assert schools[0] == {**schools[0], "name": "湖南工业职业技术学院", "level": "高职专科", "region": "长沙市"}
    secondary = client.get("/api/match/schools", params={"q": "楚怡工业学校"}).json()["schools"]
    assert any(s["name"] == "新化县楚怡工业学校" and s["level"] == "中职" for s in secondary)
    chains = client.get("/api/match/chains").json()
    assert chains["count"] == len(chains["chains"]) >= 30
    assert any(c["name"] == "工程机械" and c["id"] for c in chains["chains"])


def test_chat_asks_which_specialties_a_chain_needs(client: TestClient) -> None:
    r = client.post("/api/ask", json={"question": "工程机械产业链需要哪些专业？"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["intent"] == "match" and body["mode"] == "graph"
    assert body["link"] == {"view": "match", "direction": "specialties", "query": "工程机械", "level": None}
    assert "智能工程机械运用技术" in body["answer"] and "专业" in body["answer"]


def test_chat_asks_which_industries_a_specialty_serves(client: TestClient) -> None:
    for question in ("数控技术对应哪些产业？", "护理专业能去哪些行业"):
        body = client.post("/api/ask", json={"question": question}).json()
        assert body["intent"] == "match", (question, body["answer"])
        assert body["link"]["direction"] == "industries"
    nursing = client.post("/api/ask", json={"question": "护理专业能去哪些行业"}).json()
    assert nursing["link"]["query"] == "护理" and "健康养老" in nursing["answer"]
    assert nursing["citations"]  # the 2022 职业教育法 names 护理 and 康养 in one sentence
    level = client.post("/api/ask", json={"question": "中职的新能源汽车产业需要什么专业？"}).json()
    assert level["link"] == {"view": "match", "direction": "specialties", "query": "新能源汽车", "level": "中职"}


def test_match_answers_stream_their_link(client: TestClient) -> None:
    r = client.get("/api/ask/stream", params={"question": "工程机械产业链需要哪些专业？"})
    meta = r.text.split("event: meta\ndata: ", 1)[1].split("\n", 1)[0]
    assert '"link": {"view": "match"' in meta


def test_vocabulary_names_the_signals_and_evidence(client: TestClient) -> None:
    body = client.get("/api/vocabulary").json()
    assert body["match_signals"] == SIGNAL_NAMES and body["match_evidence"]["passage"] == "政策原文"
    assert body["intents"]["match"] == "专业与产业对接"
