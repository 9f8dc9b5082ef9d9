"""Concurrent clients against a real uvicorn: uploads of one name take turns (each answers with the
version it wrote, none fails), and questions asked while their answer's document is deleted and
re-uploaded skip what vanished instead of answering 404 or 500."""

from __future__ import annotations

import hashlib
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.api.conftest import LiveServer

pytestmark = pytest.mark.parametrize("store", ["embedded"], indirect=True)

NEW_SCHOOL = (
    "关于支持湖南测绘职业技术学院建设的通知\n\n"
    "支持湖南测绘职业技术学院建设“楚怡”文化传承基地和楚怡工匠学院，打造测绘地理信息专业群。\n\n"
    "湖南测绘职业技术学院要在2025年底前建成楚怡工匠学院。\n"
)

QUESTIONS = ("湖南测绘职业技术学院被支持建设什么？", "湖南测绘职业技术学院和楚怡工匠学院有什么关系？")
UPLOAD = {"file": ("测绘学院通知.txt", NEW_SCHOOL.encode(), "text/plain")}


def test_uploads_of_one_name_take_turns(live_server: LiveServer) -> None:
    versions = [f"关于同名文件的通知（第{i}版）\n\n各地要将楚怡文化传承基地建设经费纳入年度预算，第{i}版。\n".encode()
                for i in range(4)]  # fmt: skip

    def upload(data: bytes) -> httpx.Response:
        with httpx.Client(base_url=live_server.url, timeout=120) as client:
            return client.post("/api/documents", files={"file": ("同名.txt", data, "text/plain")})

    with ThreadPoolExecutor(4) as pool:
        responses = list(pool.map(upload, versions))
    assert [r.status_code for r in responses] == [201] * 4, [r.text for r in responses]
    for data, r in zip(versions, responses, strict=True):
        assert r.json()["document"]["sha256"] == hashlib.sha256(data).hexdigest()
    docs = httpx.get(live_server.url + "/api/documents").json()["documents"]
    same = [d for d in docs if d["source"] == "同名.txt"]
    assert len(same) == 1 and same[0]["sha256"] in {hashlib.sha256(v).hexdigest() for v in versions}


def test_questions_while_their_document_comes_and_goes(live_server: LiveServer) -> None:
    stop = threading.Event()
    statuses: list[tuple[str, int, str]] = []

    def ask() -> None:
        with httpx.Client(base_url=live_server.url, timeout=120) as client:
            while not stop.is_set():
                for question in QUESTIONS:
                    r = client.post("/api/ask", json={"question": question})
                    statuses.append(("ask", r.status_code, r.text[:200]))
                    r = client.get("/api/entities", params={"q": "湖南测绘职业技术学院"})
                    statuses.append(("entities", r.status_code, r.text[:200]))

    def churn() -> None:
        with httpx.Client(base_url=live_server.url, timeout=120) as client:
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                r = client.post("/api/documents", files=UPLOAD)
                statuses.append(("upload", r.status_code, r.text[:200]))
                if r.status_code == 201:
                    r = client.delete(f"/api/documents/{r.json()['document']['id']}")
                    statuses.append(("delete", r.status_code, r.text[:200]))
        stop.set()

    threads = [threading.Thread(target=ask), threading.Thread(target=ask), threading.Thread(target=churn)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(180)
    bad = [s for s in statuses if s[1] != {"upload": 201}.get(s[0], 200)]
    assert not bad, bad[:5]
    assert sum(1 for s in statuses if s[0] == "delete") >= 2 and sum(1 for s in statuses if s[0] == "ask") >= 4
