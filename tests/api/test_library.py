"""Search and ask over a library (the seed plus real laws from ../shared/data, two versions of one of them),
on both stores with the real model: structural references ranked first and quoted whole from the version
meant, honest refusals with related passages, "this document", and a plan's target beside a reported
result."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from graph.models import Document, DocumentBundle, Entity, Passage, Relation
from graph.store import GraphStore
from search_api.app import create_app
from search_api.services import Services
from tests.api.conftest import MemoEmbedder, ingest_seed, make_services
from tests.conftest import SHARED

LIBRARY_DEV = SHARED / "eval" / "library_dev.json"
LAWS = [
    "national/职业教育法(1996-05-15).md",
    "national/职业教育法(2022-04-20).md",
    "national/劳动法(2018-12-29).md",
    "national/教育法(2021-04-29).md",
    "national/征收教育费附加的暂行规定(2011-01-08).md",
    "local/上海市职业教育条例(2018-11-22).md",
    "local/北京市实施《职业教育法》办法.md",
]


@pytest.fixture(scope="session")
def law_dir() -> Path:
    folder = Path(os.environ.get("CHUYI_TEST_REFERENCE_DIR") or SHARED / "data") / "lawrefbook-laws"
    if not all((folder / law).is_file() for law in LAWS):
        pytest.skip(f"the laws are not in {folder} (they ship in ../shared/data); set CHUYI_TEST_REFERENCE_DIR")
    return folder


@pytest.fixture
def library(store: GraphStore, memo_embedder: MemoEmbedder, tmp_path: Path, law_dir: Path) -> Services:
    services = make_services(store, memo_embedder, tmp_path / "data")
    ingest_seed(services)
    summary = services.ingest_pipeline().ingest_paths([law_dir / law for law in LAWS])
    assert summary.ok and summary.documents == len(LAWS), summary.errors
    services.ask.gazetteer.refresh()
    return services


@pytest.fixture
def client(library: Services) -> Iterator[TestClient]:
    with TestClient(create_app(library.settings, library)) as c:
        yield c


def _search(client: TestClient, query: str, **body: object) -> dict:
    r = client.post("/api/search", json={"query": query, "top_k": 5, **body})
    assert r.status_code == 200, r.text
    return r.json()


def _ask(client: TestClient, question: str, **body: object) -> dict:
    r = client.post("/api/ask", json={"question": question, **body})
    assert r.status_code == 200, r.text
    return r.json()


def _doc_id(services: Services, source: str) -> str:
    return next(d.id for d in services.store.list_documents() if d.source == source)


def test_articles_are_ranked_first_in_every_mode(client: TestClient) -> None:
    for mode in ("hybrid", "dense", "keyword"):
        for query in ("劳动法第三十六条", "劳动法第36条", "《中华人民共和国劳动法》第三十六条是怎么规定的"):
            body = _search(client, query, mode=mode)
            top = body["results"][0]
            assert top["section"].endswith("第三十六条") and "劳动法" in top["document"]["title"], (mode, query)
            assert "四十四小时" in top["text"] and top["reference"] == "《中华人民共和国劳动法》第三十六条"
            assert body["references"][0]["status"] == "found"
    scores = [r["score"] for r in _search(client, "劳动法第三十六条")["results"]]
    assert scores == sorted(scores, reverse=True)


def test_search_prefers_the_version_meant(client: TestClient) -> None:
    current = _search(client, "职业教育法第三条")["results"][0]
    assert "同等重要地位" in current["text"]
    assert current["document"]["version"] == "2022年4月20日修订" and current["document"]["status"] == "current"
    older = _search(client, "1996年的职业教育法第二条规定的适用范围")["results"][0]
    assert "各级各类职业学校教育" in older["text"] and "1996" in older["document"]["source"]
    assert older["document"]["status"] == "superseded"
    # No article named: the current version's passage leads, the older one steps back.
    plain = _search(client, "职业教育法规定职业学校教育分为哪几个层次", top_k=10)["results"]
    first = next(r for r in plain if "职业学校教育分为" in r["text"])
    assert first["document"]["status"] == "current"


def test_a_reference_that_does_not_exist_is_reported(client: TestClient) -> None:
    body = _search(client, "劳动法第九千条")
    assert body["references"][0]["status"] == "not_found"
    assert body["references"][0]["message"] == "资料中没有找到《中华人民共和国劳动法》第九千条：该法共一百零七条。"
    assert all(r["reference"] is None for r in body["results"])
    answer = _ask(client, "劳动法第九千条是怎么规定的？")
    assert answer["mode"] == "none" and answer["citations"] == []
    assert answer["answer"].startswith("资料中没有找到《中华人民共和国劳动法》第九千条")
    unknown = _ask(client, "刑法第二百六十二条之二是什么？")
    assert unknown["mode"] == "none" and "资料库没有收录《刑法》" in unknown["answer"]


def test_ask_quotes_the_article_whole_from_the_version_meant(client: TestClient) -> None:
    body = _ask(client, "现行职业教育法第三条怎么说？")
    assert body["intent"] == "reference" and body["mode"] == "extractive"
    assert body["answer"].startswith("《中华人民共和国职业教育法》（2022年4月20日修订）第三条：职业教育是与普通教育")
    assert "为全面建设社会主义现代化国家提供有力人才和技能支撑" in body["answer"]  # the article's last paragraph
    assert body["citations"] and all(c["document_version"] == "2022年4月20日修订" for c in body["citations"])
    older = _ask(client, "旧版职业教育法第三条")
    assert older["answer"].startswith("《中华人民共和国职业教育法》（1996年5月15日通过）第三条：")
    assert older["citations"][0]["document_status"] == "superseded"
    chapter = _ask(client, "劳动法第四章")
    assert chapter["answer"].startswith("《中华人民共和国劳动法》第四章 工作时间和休息休假：")
    assert "第三十六条" in chapter["answer"] and "第三十七条" in chapter["answer"]
    outline = _ask(client, "楚怡行动计划二（一）2是什么")
    assert "建设20个" in outline["answer"] and outline["citations"][0]["section"] == "二/（一）/2"


def test_questions_the_library_cannot_answer_are_refused_with_related_passages(client: TestClient) -> None:
    dev = json.loads(LIBRARY_DEV.read_text("utf-8")) if LIBRARY_DEV.is_file() else {"unanswerable": []}
    questions = [u["q"] for u in dev["unanswerable"]] or ["长沙今天天气怎么样？", "量子计算机是怎么工作的？"]
    for question in [*questions, "英国的最低工资标准是多少？", "湖南省教育厅厅长叫什么名字？"]:
        body = _ask(client, question)
        assert body["mode"] == "none", (question, body["answer"])
        assert body["answer"].startswith("资料中没有找到") and body["citations"] == []
        assert body["related"], question
    # What the laws do say is still answered, citing the article and the law.
    fee = _ask(client, "教育费附加率是多少？")
    assert fee["mode"] == "extractive" and "3%" in fee["answer"]
    assert fee["answer"].startswith("《征收教育费附加的暂行规定》第三条：")
    overtime = _ask(client, "休息日加班又不能补休，工资至少按多少支付？")
    assert "百分之二百" in overtime["answer"] and overtime["mode"] == "extractive"


def test_a_place_named_is_answered_from_that_place(client: TestClient) -> None:
    body = _ask(client, "上海的企业要按职工工资总额的多少比例提取职业教育培训经费？")
    assert body["mode"] == "extractive" and "百分之一点五" in body["answer"]
    assert body["citations"][0]["document_title"] == "上海市职业教育条例"


def test_this_document(client: TestClient, library: Services) -> None:
    joint = _ask(client, "这份文件是哪些部门联合印发的？")
    assert joint["intent"] == "issuer" and "湖南省市场监督管理局" in joint["answer"]
    assert joint["document"]["title"] == "湖南省职业教育楚怡行动计划"
    yes = _ask(client, "湖南省教育厅参与发布了这份文件吗？")
    assert yes["answer"].startswith("是的") and "湖南省教育厅" in yes["answer"]
    labour = _doc_id(library, "劳动法(2018-12-29).md")
    scoped = _ask(client, "本法第三十六条", document=labour)
    assert scoped["mode"] == "extractive" and "四十四小时" in scoped["answer"]
    bare = _ask(client, "第三十六条是怎么规定的", document=labour)
    assert "四十四小时" in bare["answer"]
    undecided = _ask(client, "这份文件的第三条是什么？")
    assert undecided["mode"] == "none" and len(undecided["candidates"]) >= 2
    assert "请在问题中写明文件名称" in undecided["answer"] or "没有指明是哪一份文件" in undecided["answer"]
    # The search box does the same inside one document.
    inside = _search(client, "第三十六条", filters={"documents": [labour]})
    assert inside["results"][0]["section"].endswith("第三十六条")


def test_an_unknown_document_is_a_404_also_for_the_stream(client: TestClient) -> None:
    r = client.post("/api/ask", json={"question": "这份文件是谁发布的？", "document": "doc:nope"})
    assert r.status_code == 404 and r.json()["error"]["code"] == "unknown_document"
    r = client.get("/api/ask/stream", params={"question": "这份文件是谁发布的？", "document": "doc:nope"})
    assert r.status_code == 404 and r.json()["error"]["code"] == "unknown_document"


def test_the_stream_sends_related_passages_when_nothing_answers(client: TestClient) -> None:
    with client.stream("GET", "/api/ask/stream", params={"question": "量子计算机是怎么工作的？"}) as r:
        text = "".join(r.iter_text())
    names = [block.split("\n")[0] for block in text.strip().split("\n\n")]
    assert names[0] == "event: meta" and "event: related" in names and names[-1] == "event: done"


def test_a_reported_result_is_given_with_the_plan_target_newest_first(
    store: GraphStore, memo_embedder: MemoEmbedder, tmp_path: Path
) -> None:
    services = make_services(store, memo_embedder, tmp_path / "data")
    ingest_seed(services)
    text = "2022年，全省遴选建设30所“楚怡”优秀中职学校，超过原定目标。"
    news = DocumentBundle(
        document=Document(
            id="doc:news", title="楚怡优秀中职学校遴选结果公布", source="news.html", sha256="news", date="2022-08-01"
        ),
        passages=[
            Passage(
                id="psg:news", doc_id="doc:news", text=text, order=0, embedding=memo_embedder.embed_passages([text])[0]
            )
        ],
        entities=[
            Entity(
                id="target:news",
                label="Target",
                name="30所“楚怡”优秀中职学校",
                properties={
                    "quantity": 30,
                    "unit": "所",
                    "object": "“楚怡”优秀中职学校",
                    "verb": "遴选建设",
                    "scope": "全省",
                    "text": text,
                    "doc_id": "doc:news",
                    "kind": "result",
                    "year": "2022",
                },
            )
        ],
        relations=[Relation(source="doc:news", target="target:news", type="SETS_TARGET", evidence="psg:news")],
    )
    store.upsert_document(news)
    services.ask.gazetteer.refresh()
    with TestClient(create_app(services.settings, services)) as client:
        body = _ask(client, "全省遴选建设几所楚怡优秀中职学校？")
    answer = body["answer"]
    assert body["intent"] == "count" and "30" in answer and "10" in answer, answer
    assert answer.index("30") < answer.index("10")  # the newer figure first
    assert "报道的结果" in answer and "规划目标" in answer and "2022-08-01" in answer
    assert "《楚怡优秀中职学校遴选结果公布》" in answer and "《湖南省职业教育楚怡行动计划》" in answer
    assert {c["document_title"] for c in body["citations"]} >= {"楚怡优秀中职学校遴选结果公布"}


def test_the_document_list_says_which_version_is_current(client: TestClient) -> None:
    docs = client.get("/api/documents").json()["documents"]
    laws = {d["source"]: d for d in docs if d["source"].startswith("职业教育法")}
    older = next(d for s, d in laws.items() if "1996" in s)
    newer = next(d for s, d in laws.items() if "2022" in s)
    assert older["status"] == "superseded" and newer["status"] == "current"
    assert newer["version"] == "2022年4月20日修订" and newer["versions"] == older["versions"] == 2
    assert all(d["passages"] > 0 for d in docs)
