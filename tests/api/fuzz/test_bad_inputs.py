"""The bad-input matrix: hostile and odd requests over every endpoint, each answered with a 4xx in the
one error shape or with the right 2xx, never a 5xx; a refused write leaves the store as it was
(counts and documents compared before and after), an accepted hostile upload is deleted again and
the store comes back to where it was.

It runs on a copy of the reference store (seed, a law, 专业目录, GB/T 4754, institutions, SERVES), so
matching answers as deployed, with API keys configured; writes send a key unless the case is about
the key. /api/cypher answers 501 on the embedded store by design (tests/api/test_graph_api.py), so
here it is only sent without a key (401) or malformed; its guard has its own tests.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import MemoEmbedder
from tests.api.trust_fixtures import AUTH, KEYS, Served, copy_of_reference_store, serve, snapshot, wait_for_job
from tests.conftest import SEED
from tests.hostile.files import PNG, docx, paragraph_bomb, zip_bomb
from tests.reference.conftest import LoadedReference

OK, BAD, MISSING, UNPROCESSABLE = {200}, {400}, {404}, {422}
NOTICE = "关于楚怡基地建设的通知\n\n各地要将楚怡文化传承基地建设经费纳入年度预算，确保基地如期建成开放。\n"
LONG = "楚" * 100_000
NAME_300 = "关于" + "楚怡职业教育" * 16 + ".txt"  # 300 bytes of UTF-8


@dataclass
class Case:
    id: str
    method: str
    path: str
    expect: set[int]
    kwargs: dict[str, Any] = field(default_factory=dict)
    write: bool = False  # a write: the store must be unchanged unless it was accepted
    key: bool = True  # writes send the key unless the case is about it
    shown_as: str | None = None  # an accepted upload's stored name

    def __str__(self) -> str:
        return self.id


def _json(body: str) -> dict[str, Any]:
    return {"content": body.encode("utf-8"), "headers": {"Content-Type": "application/json"}}


def _file(name: str, data: bytes, content_type: str = "text/plain") -> dict[str, Any]:
    return {"files": {"file": (name, data, content_type)}}


def _search(query: Any, **extra: Any) -> dict[str, Any]:
    return {"json": {"query": query, **extra}}


def _upload(id_: str, name: str, data: bytes, expect: set[int], shown_as: str | None = None) -> Case:
    return Case(id_, "POST", "/api/documents", expect, _file(name, data), write=True, shown_as=shown_as)


def _raw_upload(id_: str, filename: bytes, data: bytes, expect: set[int], shown_as: str | None = None) -> Case:
    """A multipart body written byte by byte: clients escape NUL and tabs in names, an attacker need not."""
    body = (b'--b0undary\r\nContent-Disposition: form-data; name="file"; filename="' + filename
            + b'"\r\nContent-Type: text/plain\r\n\r\n' + data + b"\r\n--b0undary--\r\n")  # fmt: skip
    kwargs = {"content": body, "headers": {"Content-Type": "multipart/form-data; boundary=b0undary"}}
    return Case(id_, "POST", "/api/documents", expect, kwargs, write=True, shown_as=shown_as)


CASES: list[Case] = [
    # --- /api/search: bodies -----------------------------------------------------------------
    Case("malformed-json", "POST", "/api/search", UNPROCESSABLE, _json('{"query": "楚怡", ')),
    Case("json-array-not-object", "POST", "/api/search", UNPROCESSABLE, {"json": ["楚怡"]}),
    Case("wrong-type", "POST", "/api/search", UNPROCESSABLE, _search("楚怡", top_k="ten")),
    Case("wrong-type-query-number", "POST", "/api/search", UNPROCESSABLE, _search(12345)),
    Case("huge-number", "POST", "/api/search", UNPROCESSABLE, _search("楚怡", top_k=10**30)),
    Case("negative-number", "POST", "/api/search", UNPROCESSABLE, _search("楚怡", offset=-5)),
    Case("number-of-5000-digits", "POST", "/api/search", UNPROCESSABLE,
         _json('{"query": "楚怡", "top_k": ' + "9" * 5000 + "}")),
    Case("nan-literal", "POST", "/api/search", UNPROCESSABLE, _json('{"query": "楚怡", "top_k": NaN}')),
    Case("100k-characters", "POST", "/api/search", UNPROCESSABLE, _search(LONG)),
    Case("nul-and-control-characters", "POST", "/api/search", OK, _search("楚怡\x00\x01\x1b[31m行动\x7f")),
    Case("rtl-override", "POST", "/api/search", OK, _search("\u202e楚怡\u202c文化\u2066传承\u2069基地")),
    Case("lone-surrogate", "POST", "/api/search", UNPROCESSABLE, _json('{"query": "\\ud800楚怡"}')),
    Case("non-utf8-body", "POST", "/api/search", BAD,
         {"content": '{"query": "楚怡"}'.encode("gbk"), "headers": {"Content-Type": "application/json"}}),
    Case("traditional-chinese", "POST", "/api/search", OK, _search("楚怡職業教育行動計劃的住房優惠")),
    Case("full-width", "POST", "/api/search", OK, _search("ＡＢＣ１２３　楚怡　２０个")),
    Case("astral-and-emoji", "POST", "/api/search", OK, _search("楚怡😀𠀀𪚥")),
    Case("sql-injection-looking", "POST", "/api/search", OK, _search("'; DROP TABLE documents; --")),
    Case("script-injection-looking", "POST", "/api/search", OK, _search("<script>alert('楚怡')</script>")),
    Case("cypher-injection-looking", "POST", "/api/search", OK, _search("楚怡' }) MATCH (n) DETACH DELETE n //")),
    Case("deep-nesting", "POST", "/api/search", UNPROCESSABLE,
         _json('{"query": "楚怡", "filters": ' + "[" * 50_000 + "]" * 50_000 + "}")),
    Case("form-instead-of-json", "POST", "/api/search", UNPROCESSABLE, {"data": {"query": "楚怡"}}),
    Case("empty-body", "POST", "/api/search", UNPROCESSABLE, {"content": b""}),
    Case("unknown-filter-values", "POST", "/api/search", OK,
         _search("楚怡", filters={"documents": ["doc:none", "../../etc"], "section": "\x00"})),
    Case("huge-page", "POST", "/api/search", UNPROCESSABLE, _search("楚怡", page=10**6)),
    Case("whitespace-only-query", "POST", "/api/search", UNPROCESSABLE, _search(" \u3000\t")),
    Case("page-true", "POST", "/api/search/export", UNPROCESSABLE, _search("楚怡", page=True)),  # found by schemathesis
    Case("top-k-as-string", "POST", "/api/search", UNPROCESSABLE, _search("楚怡", top_k="5")),
    Case("page-as-integral-float", "POST", "/api/search", OK, _search("楚怡", page=2.0)),  # JSON Schema: an integer
    Case("page-with-a-fraction", "POST", "/api/search", UNPROCESSABLE, _search("楚怡", page=2.5)),
    # --- /api/ask and the stream ---------------------------------------------------------------
    Case("ask-100k-characters", "POST", "/api/ask", UNPROCESSABLE, {"json": {"question": LONG}}),
    Case("ask-control-characters", "POST", "/api/ask", OK,
         {"json": {"question": "楚怡\x00文化\x08传承基地又叫什么？"}}),
    Case("ask-lone-surrogate", "POST", "/api/ask", UNPROCESSABLE, _json('{"question": "楚怡\\udfff"}')),
    Case("ask-traditional-full-width", "POST", "/api/ask", OK, {"json": {"question": "楚怡文化傳承基地又叫什麼？"}}),
    Case("ask-wrong-type", "POST", "/api/ask", UNPROCESSABLE, {"json": {"question": ["楚怡"]}}),
    Case("stream-empty", "GET", "/api/ask/stream", UNPROCESSABLE, {"params": {"question": ""}}),
    Case("stream-too-long", "GET", "/api/ask/stream", UNPROCESSABLE, {"params": {"question": "楚" * 600}}),
    Case("stream-rtl-and-percent-junk", "GET", "/api/ask/stream?question=%E2%80%AE%E6%A5%9A%ED%A0%80%FF", OK),
    # --- entities and graph ----------------------------------------------------------------------
    Case("entities-long-q", "GET", "/api/entities", UNPROCESSABLE, {"params": {"q": "楚" * 5000}}),
    Case("entities-bad-label", "GET", "/api/entities", UNPROCESSABLE, {"params": {"label": "Robert'); DROP"}}),
    Case("entities-negative-limit", "GET", "/api/entities", UNPROCESSABLE, {"params": {"limit": -1}}),
    Case("entities-injection-q", "GET", "/api/entities", OK, {"params": {"q": "' OR 1=1 --"}}),
    Case("entity-300-byte-id", "GET", "/api/entities/" + "楚" * 100, MISSING),
    Case("entity-traversal-id", "GET", "/api/entities/..%2F..%2Fetc%2Fpasswd", MISSING),
    Case("neighbors-depth-99", "GET", "/api/graph/neighbors/doc:none", UNPROCESSABLE, {"params": {"depth": 99}}),
    Case("neighbors-huge-limit", "GET", "/api/graph/neighbors/doc:none", UNPROCESSABLE,
         {"params": {"limit": 10**40}}),
    Case("neighbors-unknown", "GET", "/api/graph/neighbors/%00%01", MISSING),
    Case("paths-unknown-names", "GET", "/api/graph/paths", MISSING,
         {"params": {"source": "无此机构", "target": "\u202e"}}),
    Case("paths-empty-source", "GET", "/api/graph/paths", UNPROCESSABLE, {"params": {"source": "", "target": "x"}}),
    Case("paths-negative-hops", "GET", "/api/graph/paths", UNPROCESSABLE,
         {"params": {"source": "a", "target": "b", "max_hops": -1}}),
    # --- matching ----------------------------------------------------------------------------------
    Case("match-empty-industry", "POST", "/api/match/specialties", UNPROCESSABLE, {"json": {"industry": ""}}),
    Case("match-unknown-words", "POST", "/api/match/specialties", {200, 404}, {"json": {"industry": "zzqx不存在"}}),
    Case("match-huge-top-k", "POST", "/api/match/industries", UNPROCESSABLE,
         {"json": {"specialty": "数控技术", "top_k": 10**9}}),
    Case("match-top-k-true", "POST", "/api/match/industries", UNPROCESSABLE,
         {"json": {"specialty": "数控技术", "top_k": True}}),
    Case("match-k-integral-float", "POST", "/api/match/specialties", OK,
         {"json": {"industry": "工程机械", "k": 3.0}}),
    Case("match-bogus-level", "POST", "/api/match/specialties", UNPROCESSABLE,
         {"json": {"industry": "工程机械", "level": "博士"}}),
    Case("gaps-1000-offerings", "POST", "/api/match/gaps", UNPROCESSABLE,
         {"json": {"industry": "工程机械", "offerings": ["数控技术"] * 1000}}),
    Case("gaps-unknown-school", "POST", "/api/match/gaps", MISSING,
         {"json": {"industry": "工程机械", "school": "<img src=x onerror=alert(1)>"}}),
    Case("match-full-width-code", "POST", "/api/match/industries", {200, 404}, {"json": {"specialty": "４６０１０４"}}),
    Case("schools-overlong-q", "GET", "/api/match/schools", UNPROCESSABLE, {"params": {"q": "湖" * 101}}),
    Case("schools-zero-limit", "GET", "/api/match/schools", UNPROCESSABLE, {"params": {"q": "湖南", "limit": 0}}),
    Case("chains-junk-params", "GET", "/api/match/chains", {200, 503}, {"params": {"q": "\u202e<script>"}}),
    # --- exports -------------------------------------------------------------------------------------
    Case("export-bogus-format", "GET", "/api/export/graph", UNPROCESSABLE, {"params": {"format": "exe"}}),
    Case("export-bogus-label", "GET", "/api/export/graph", UNPROCESSABLE, {"params": {"labels": "Nope"}}),
    Case("search-export-blank-query", "POST", "/api/search/export", UNPROCESSABLE, _search(" \u3000 ")),
    # --- uploads -------------------------------------------------------------------------------------
    _upload("upload-300-byte-name", NAME_300, NOTICE.encode(), {201}),
    _upload("upload-traversal-name", "../../../etc/cron.d/通知.txt", NOTICE.encode(), {201}, shown_as="通知.txt"),
    _raw_upload("upload-nul-in-name", "通\x00知.txt".encode(), NOTICE.encode(), {201}, shown_as="通知.txt"),
    _raw_upload("upload-control-characters-in-name", "通\x1b[31m知\x7f.txt".encode(), NOTICE.encode(), {201},
                shown_as="通[31m知.txt"),
    _raw_upload("upload-gbk-bytes-in-name", "通知.txt".encode("gbk"), NOTICE.encode(), {201, 400}),
    _upload("upload-rtl-override-name", "通知\u202etxt.exe", NOTICE.encode(), {415}),
    _upload("upload-hidden-name", ".env", NOTICE.encode(), BAD),
    _raw_upload("upload-blank-name", b" \t ", NOTICE.encode(), BAD),
    _upload("upload-gbk-markdown", "楚怡通知.md", ("# " + NOTICE).encode("gbk"), {201}),
    _upload("upload-traditional-full-width", "繁體通知.txt",
            "關於楚怡基地建設的通知\n\n各地要將經費納入年度預算，ＡＢＣ１２３。".encode(), {201}),
    _upload("upload-png-named-pdf", "扫描件.pdf", PNG, UNPROCESSABLE),
    _upload("upload-empty-file", "空.txt", b"", UNPROCESSABLE),
    _upload("upload-binary-text", "二进制.txt", bytes(range(256)) * 40, UNPROCESSABLE),
    _upload("upload-corrupt-docx", "坏.docx", b"PK\x03\x04not a zip at all", UNPROCESSABLE),
    _upload("upload-unknown-extension", "tool.exe", b"MZ\x90\x00", {415}),
    _upload("upload-paragraph-bomb", "炸弹.docx", b"", {413, 202}),  # data filled in at run time
    _upload("upload-zip-bomb", "bomb.docx", b"", {202}),
    _upload("upload-docx-with-script-text", "脚本.docx", docx(["<script>alert(1)</script>", NOTICE]), {201}),
    Case("upload-malformed-multipart", "POST", "/api/documents", {400, 422},
         {"content": b"--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nabc",
          "headers": {"Content-Type": "multipart/form-data; boundary=x"}}, write=True),
    Case("upload-multipart-without-boundary", "POST", "/api/documents", BAD,
         {"content": b"abc", "headers": {"Content-Type": "multipart/form-data"}}, write=True),
    Case("upload-two-files", "POST", "/api/documents", BAD,
         {"files": [("file", ("a.txt", b"a", "text/plain")), ("file", ("b.txt", b"b", "text/plain"))]}, write=True),
    Case("upload-json-instead", "POST", "/api/documents", UNPROCESSABLE, {"json": {"file": "x"}}, write=True),
    Case("upload-without-key", "POST", "/api/documents", {401}, _file("a.txt", NOTICE.encode()), write=True, key=False),
    # --- deletes, jobs, reference, cypher ------------------------------------------------------------------
    Case("delete-without-key", "DELETE", "/api/documents/doc:anything", {401}, write=True, key=False),
    Case("delete-wrong-key", "DELETE", "/api/documents/doc:anything", {401},
         {"headers": {"X-API-Key": "nope"}}, write=True, key=False),
    Case("delete-unknown", "DELETE", "/api/documents/doc:none", MISSING, write=True),
    Case("delete-traversal", "DELETE", "/api/documents/..%2F..%2Fgraph.zip", MISSING, write=True),
    Case("delete-300-byte-id", "DELETE", "/api/documents/" + "楚" * 100, MISSING, write=True),
    Case("document-unknown", "GET", "/api/documents/%E2%80%AEdoc", MISSING),
    Case("documents-junk-query", "GET", "/api/documents?limit=-1&%ff=%00", OK),
    Case("job-unknown", "GET", "/api/jobs/" + "0" * 300, MISSING),
    Case("job-cancel-without-key", "DELETE", "/api/jobs/x", {401}, write=True, key=False),
    Case("reload-without-key", "POST", "/api/reference/reload", {401}, write=True, key=False),
    Case("cypher-without-key", "POST", "/api/cypher", {401}, {"json": {"query": "CALL `dbms`.`listConfig`()"}},
         write=True, key=False),
    Case("cypher-wrong-type", "POST", "/api/cypher", UNPROCESSABLE, {"json": {"query": 1, "params": []}}, write=True),
    # --- routes and methods --------------------------------------------------------------------------
    Case("unknown-route", "GET", "/api/../../etc/passwd", MISSING),
    Case("wrong-method", "PUT", "/api/search", {405}, {"json": {}}),
    Case("preflight-without-cors", "OPTIONS", "/api/documents", {405},
         {"headers": {"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}}),
    Case("cross-origin-upload", "POST", "/api/documents", {403},
         {**_file("a.txt", NOTICE.encode()), "headers": {"Origin": "https://evil.example"}}, write=True),
    Case("health-junk-query", "GET", "/healthz?%00=%ff&x=" + "y" * 5000, OK),
    Case("stats", "GET", "/api/stats", OK),
    Case("vocabulary", "GET", "/api/vocabulary", OK),
]  # fmt: skip


@pytest.fixture(scope="module")
def hostile(
    loaded: LoadedReference, match_data_dir: Path, memo_embedder: MemoEmbedder, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    services, store = copy_of_reference_store(
        loaded, match_data_dir, memo_embedder, tmp_path_factory.mktemp("hostile"), api_keys=KEYS
    )
    with serve(services) as client:
        yield Served(client, services)
    services.jobs.shutdown()
    store.close()


def _request(client: TestClient, case: Case) -> Any:
    kwargs = dict(case.kwargs)
    if case.id == "upload-paragraph-bomb":
        kwargs = _file(*case.kwargs["files"]["file"][:1], paragraph_bomb(), "application/octet-stream")
    elif case.id == "upload-zip-bomb":
        kwargs = _file(*case.kwargs["files"]["file"][:1], zip_bomb(), "application/octet-stream")
    if case.write and case.key:
        kwargs["headers"] = {**kwargs.get("headers", {}), **AUTH}
    return client.request(case.method, case.path, **kwargs)


def test_the_matrix_covers_at_least_40_kinds_and_every_endpoint(hostile: Served) -> None:
    assert len(CASES) >= 40 and len({c.id for c in CASES}) == len(CASES)
    spec = hostile.client.get("/openapi.json").json()
    covered = {(c.method.lower(), c.path.split("?")[0]) for c in CASES}
    for path, operations in spec["paths"].items():
        prefix = path.split("{")[0]
        for method in operations:
            assert any(m == method and (p == path or (prefix != path and p.startswith(prefix)))
                       for m, p in covered), f"{method.upper()} {path} has no hostile case"  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=str)
def test_bad_input(hostile: Served, case: Case) -> None:
    before = snapshot(hostile.store)
    docs_before = {d.id for d in hostile.store.list_documents()}
    started = time.monotonic()
    r = _request(hostile.client, case)
    assert r.status_code < 500, (case.id, r.status_code, r.text[:500])
    assert r.status_code in case.expect, (case.id, r.status_code, r.text[:500])
    if r.status_code >= 400:
        error = r.json()["error"]
        assert isinstance(error["code"], str) and isinstance(error["message"], str) and error["message"]
    if r.status_code == 202 and case.path == "/api/documents":
        job = wait_for_job(hostile.client, r.json()["id"], timeout=60)
        assert job["status"] == "cancelled", job  # every bomb here is over a limit
    if case.id == "upload-paragraph-bomb":
        assert time.monotonic() - started < 5
    if r.status_code == 201:
        doc = r.json()["document"]
        name = doc["source"]
        assert len(name.encode()) <= 255 and "/" not in name and "\x00" not in name and "\u202e" not in name
        if case.shown_as is not None:
            assert name == case.shown_as
        if doc["id"] not in docs_before:
            assert hostile.client.delete(f"/api/documents/{doc['id']}", headers=AUTH).status_code == 200
    if case.write or r.status_code == 201:
        assert snapshot(hostile.store) == before, case.id


def test_seed_is_still_there_after_the_matrix(hostile: Served) -> None:
    assert any(d.source == SEED.name for d in hostile.store.list_documents())
