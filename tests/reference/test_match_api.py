"""Matching through HTTP with the real model on the embedded store (reference data, our knowledge, SERVES,
two real policy texts): the issue's quality cases, our development cases, the contract and errors."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from graph.models import Relation
from ingest.reference.ids import chain_id, school_id, specialty_id
from tests.reference.cases import DEV_CASES, ISSUE_CASES, REVERSE_CASES, ForwardCase, ReverseCase
from tests.reference.conftest import LoadedReference, load_reference_step


def _names(client: TestClient, industry: str, level: str | None, top_k: int) -> list[str]:
    r = client.post("/api/match/specialties", json={"industry": industry, "level": level, "top_k": top_k})
    assert r.status_code == 200, r.text
    return [x["name"] for x in r.json()["results"]]


@pytest.mark.parametrize("case", ISSUE_CASES, ids=lambda c: f"{c.industry}-{c.level}")
def test_issue_quality_cases(client: TestClient, case: ForwardCase) -> None:
    names = _names(client, case.industry, case.level, case.top)
    assert set(case.expect) <= set(names), names


@pytest.mark.parametrize("case", DEV_CASES, ids=lambda c: f"{c.industry}-{c.level}")
def test_development_cases(client: TestClient, case: ForwardCase) -> None:
    names = _names(client, case.industry, case.level, case.top)
    assert set(case.expect) <= set(names), names


@pytest.mark.parametrize("case", REVERSE_CASES, ids=lambda c: c.specialty)
def test_reverse_cases(client: TestClient, case: ReverseCase) -> None:
    r = client.post("/api/match/industries", json={"specialty": case.specialty, "top_k": 40})
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    industries = [x for x in results if x["kind"] == "industry"][: case.top]
    for code in case.expect_codes:
        assert any(code.startswith(x["code"]) or x["code"].startswith(code) for x in industries), industries
    if case.first_chain:
        chains = [x for x in results if x["kind"] == "chain"]
        assert chains and chains[0]["name"] == case.first_chain, [c["name"] for c in chains]


def test_result_contract_and_why(client: TestClient) -> None:
    r = client.post("/api/match/specialties", json={"industry": "工程机械", "level": "高职专科", "top_k": 10})
    body = r.json()
    assert body["target"] == {
        "kind": "chain",
        "id": chain_id("工程机械"),
        "name": "工程机械",
        "code": None,
        "industries": body["target"]["industries"],
        "parts": [],  # filled for a compound name only
    }
    assert "3514" in body["target"]["industries"]
    results = body["results"]
    assert len(results) == 10
    assert [x["rank"] for x in results] == list(range(1, 11))
    assert all(set(x) >= {"code", "name", "level", "score", "why", "evidence", "signals"} for x in results)
    assert all(x["level"] == "高职专科" for x in results)
    scores = [x["score"] for x in results]
    assert scores == sorted(scores, reverse=True) and 0 < scores[-1] <= scores[0] <= 1
    hydraulics = next(x for x in results if x["name"] == "液压与气动技术")
    assert hydraulics["code"] == "460309"
    # The why names the crosswalk row it rests on and a similarity.
    assert "专业类对照：自动化类(4603)" in hydraulics["why"]
    assert "相似度" in hydraulics["why"]
    kinds = {e["kind"] for e in hydraulics["evidence"]}
    assert {"crosswalk", "similarity"} <= kinds


def test_passage_evidence_is_cited(client: TestClient, loaded: LoadedReference) -> None:
    """The 2022 职业教育法 names 护理 and 康养 in one sentence: 健康养老 (alias 康养) cites it for 护理."""
    r = client.post("/api/match/specialties", json={"industry": "健康养老", "level": "高职专科", "top_k": 20})
    nursing = next(x for x in r.json()["results"] if x["name"] == "护理")
    passages = [e["ref"] for e in nursing["evidence"] if e["kind"] == "passage"]
    assert passages, nursing["why"]
    node = loaded.services.store.get_node(passages[0])
    assert node is not None and node.label == "Passage"
    text = str(node.properties["text"])
    assert "护理" in text and "康养" in text
    assert passages[0] in nursing["why"]


def test_codes_and_industry_names_resolve(client: TestClient) -> None:
    r = client.post("/api/match/specialties", json={"industry": "C36", "level": "高职专科", "top_k": 3})
    assert r.json()["target"]["kind"] == "industry" and r.json()["target"]["code"] == "36"
    r = client.post("/api/match/specialties", json={"industry": "汽车制造业", "top_k": 30})
    assert {x["level"] for x in r.json()["results"]} == {"中职", "高职专科", "职业本科"}


def test_unknown_words_are_404_json(client: TestClient) -> None:
    r = client.post("/api/match/specialties", json={"industry": "qwertyuiop"})
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "unknown_industry"
    r = client.post("/api/match/industries", json={"specialty": "量子纠缠工程"})
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "unknown_specialty"
    r = client.post("/api/match/gaps", json={"industry": "工程机械", "school": "不存在的职业学院"})
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "unknown_school"


def test_invalid_requests_are_422(client: TestClient) -> None:
    assert client.post("/api/match/specialties", json={"industry": ""}).status_code == 422
    assert client.post("/api/match/specialties", json={"industry": "工程机械", "level": "本科"}).status_code == 422
    assert client.post("/api/match/specialties", json={"industry": "工程机械", "top_k": 0}).status_code == 422
    r = client.post("/api/match/gaps", json={"industry": "工程机械"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request"


def test_industries_for_a_specialty_by_code(client: TestClient) -> None:
    r = client.post("/api/match/industries", json={"specialty": "460702", "top_k": 8})
    body = r.json()
    assert body["target"]["name"] == "新能源汽车技术" and body["target"]["kind"] == "specialty"
    first_chain = next(x for x in body["results"] if x["kind"] == "chain")
    assert first_chain["name"] == "新能源汽车" and "排第 1/" in first_chain["why"]
    only = client.post(
        "/api/match/industries", json={"specialty": "新能源汽车技术", "kinds": ["industry"], "industry_level": "小类"}
    ).json()["results"]
    assert only and all(x["kind"] == "industry" and x["level"] == "小类" for x in only)
    assert only[0]["code"] == "3612"
    assert only[0]["category"].startswith("C 制造业 > 36 汽车制造业")


def test_gap_view_for_a_school(client: TestClient) -> None:
    offered = ["机械制造及自动化", "460301", "数控技术", "烹饪工艺与营养", "不存在的专业"]
    r = client.post(
        "/api/match/gaps",
        json={"industry": "工程机械", "school": "湖南工业职业技术学院", "offerings": offered, "top_k": 10},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["school"] == "湖南工业职业技术学院" and body["level"] == "高职专科"
    covered = {x["name"] for x in body["covered"]}
    missing = {x["name"] for x in body["missing"]}
    assert {"机械制造及自动化", "机电一体化技术"} <= covered
    assert {"液压与气动技术", "智能工程机械运用技术"} <= missing
    assert not covered & missing and len(covered) + len(missing) == 10
    assert body["unknown_offerings"] == ["不存在的专业"]
    assert body["coverage"] == pytest.approx(len(covered) / 10)
    assert "烹饪工艺与营养" in body["offered"]


def test_gap_view_reads_offers_edges(client: TestClient, loaded: LoadedReference) -> None:
    store = loaded.services.store
    offers = [
        Relation(source=school_id("湖南工业职业技术学院"), target=specialty_id("高职专科", code), type="OFFERS")
        for code in ("460104", "460309")  # 机械制造及自动化, 液压与气动技术
    ]
    store.upsert_entities([], offers, "test:offerings")
    try:
        r = client.post("/api/match/gaps", json={"industry": "工程机械", "school": "湖南工业职业技术学院", "top_k": 10})
        body = r.json()
        assert {x["name"] for x in body["covered"]} == {"机械制造及自动化", "液压与气动技术"}
        assert "机电一体化技术" in {x["name"] for x in body["missing"]}
    finally:
        store.delete_origin("test:offerings")


def test_serves_relations_are_in_the_graph(loaded: LoadedReference) -> None:
    serves = loaded.load.serves
    assert serves is not None and serves.chain_relations > 100 and serves.industry_relations > 3000
    store = loaded.services.store
    edges = store.edges_of(chain_id("工程机械"), ["SERVES"], "in")
    by_source = {e.source: e for e in edges}
    mech = by_source[specialty_id("高职专科", "460104")]  # 机械制造及自动化
    assert 0 < float(mech.properties["score"] or 0) <= 1
    assert mech.properties["level"] == "高职专科" and "专业类对照" in str(mech.properties["why"])
    out = store.edges_of(specialty_id("高职专科", "460702"), ["SERVES"], "out")
    targets = {e.target for e in out}
    assert chain_id("新能源汽车") in targets
    assert "industry:C3612" in targets  # 新能源车整车制造


@pytest.mark.slow  # loads the whole reference data a second time
def test_reference_load_is_idempotent_with_serves(loaded: LoadedReference) -> None:
    store = loaded.services.store
    before = store.export_json().model_dump()
    again = load_reference_step(loaded.services)
    assert again.serves is not None
    assert store.export_json().model_dump() == before
