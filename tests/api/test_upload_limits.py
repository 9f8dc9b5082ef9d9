"""Uploads that cannot stall the service: the size is checked before and while the body streams in,
bombs are refused within seconds while they are read, large uploads run as jobs with progress, a job
over its limits or cancelled stops before it writes, and a refused upload leaves the store as it was."""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from search_api.app import create_app
from tests.api.conftest import LiveServer, MemoEmbedder
from tests.api.trust_fixtures import AUTH, KEYS, Served, keyed, seeded_services, serve, snapshot, wait_for_job
from tests.conftest import SEED
from tests.hostile.files import paragraph_bomb, zip_bomb

__all__ = ["keyed"]

MB = 1024 * 1024


def _asgi(app: Any, method: str, path: str, headers: dict[str, str], chunks: list[bytes]) -> tuple[int, dict, int]:
    """Call the ASGI app directly: (status, JSON body, how many body chunks it read)."""
    read = 0
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal read
        if read < len(chunks):
            read += 1
            return {"type": "http.request", "body": chunks[read - 1], "more_body": read < len(chunks)}
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http", "method": method, "path": path, "raw_path": path.encode(), "query_string": b"",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()], "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 8000), "scheme": "http", "http_version": "1.1", "root_path": "", "state": {},
    }  # fmt: skip
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], json.loads(body), read


def test_declared_length_over_the_limit_is_413_before_a_byte_is_read(keyed: Served) -> None:
    app = create_app(keyed.services.settings, keyed.services)
    headers = {"content-type": "multipart/form-data; boundary=x", "content-length": str(100 * MB), **AUTH}
    status, body, read = _asgi(app, "POST", "/api/documents", headers, [b"x" * 1024] * 4)
    assert (status, body["error"]["code"], read) == (413, "file_too_large", 0)
    status, body, read = _asgi(app, "POST", "/api/search", {"content-type": "application/json",
                                                            "content-length": str(2 * MB)}, [b"{}"])  # fmt: skip
    assert (status, body["error"]["code"], read) == (413, "body_too_large", 0)


def test_a_body_without_length_stops_when_its_count_passes_the_limit(keyed: Served) -> None:
    app = create_app(keyed.services.settings, keyed.services)
    app.state.services = keyed.services  # what the lifespan does; this calls the app without one
    limit = keyed.services.settings.max_file_bytes
    chunk = b"-" * MB
    chunks = [b"--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\n"] + [chunk] * 100
    headers = {"content-type": "multipart/form-data; boundary=x", **AUTH}
    before = snapshot(keyed.store)
    status, body, read = _asgi(app, "POST", "/api/documents", headers, chunks)
    assert status == 413 and body["error"]["code"] == "file_too_large"
    assert read <= limit // MB + 3, f"read {read} MB chunks for a {limit // MB} MB limit"
    # JSON bodies the same way, at their own limit.
    status, body, read = _asgi(app, "POST", "/api/search", {"content-type": "application/json"}, [b" " * MB] * 10)
    assert status == 413 and read <= 3
    assert snapshot(keyed.store) == before


def test_the_paragraph_bomb_is_refused_within_seconds_and_nothing_is_stored(keyed: Served) -> None:
    bomb = paragraph_bomb()  # 184 KB that inflate to 40 MB of tiny paragraphs
    assert len(bomb) < 300 * 1024
    before = snapshot(keyed.store)
    reports = keyed.services.settings.data_dir / "reports"
    reports_before = sorted(p.name for p in reports.glob("*")) if reports.exists() else []
    started = time.monotonic()
    r = keyed.client.post("/api/documents", files={"file": ("炸弹.docx", bomb, "application/octet-stream")},
                          headers=AUTH)  # fmt: skip
    if r.status_code == 202:  # over the job threshold on some zip implementations: follow the job
        job = wait_for_job(keyed.client, r.json()["id"], timeout=30)
        code = job["error"]["code"]
    else:
        assert r.status_code == 413, r.text
        code = r.json()["error"]["code"]
    elapsed = time.monotonic() - started
    assert code == "too_much_text" and elapsed < 5, (code, elapsed)
    assert snapshot(keyed.store) == before
    assert (sorted(p.name for p in reports.glob("*")) if reports.exists() else []) == reports_before


def test_a_zip_bomb_is_refused_from_its_directory(keyed: Served) -> None:
    bomb = zip_bomb()  # declares 1.1 GB
    before = snapshot(keyed.store)
    started = time.monotonic()
    r = keyed.client.post("/api/documents", files={"file": ("bomb.docx", bomb, "application/octet-stream")},
                          headers=AUTH)  # fmt: skip
    assert r.status_code == 202, r.text  # 5 MB: over the job threshold
    job = wait_for_job(keyed.client, r.json()["id"], timeout=30)
    assert job["status"] == "cancelled" and job["error"]["code"] == "unpacked_too_large", job
    assert job["error"]["status"] == 413
    assert time.monotonic() - started < 10
    assert snapshot(keyed.store) == before


def test_a_large_upload_runs_as_a_job_with_progress(memo_embedder: MemoEmbedder, tmp_path: Path) -> None:
    services, store = seeded_services(memo_embedder, tmp_path / "data", seed=False, api_keys=KEYS,
                                      job_threshold_bytes=1024)  # fmt: skip
    with serve(services) as client:
        r = client.post("/api/documents", files={"file": (SEED.name, SEED.read_bytes(), "text/plain")}, headers=AUTH)
        assert r.status_code == 202, r.text
        job = r.json()
        assert r.headers["location"] == f"/api/jobs/{job['id']}"
        assert job["kind"] == "upload" and job["name"] == SEED.name and job["status"] in ("queued", "running")
        stages = set()
        deadline = time.monotonic() + 180
        while job["status"] in ("queued", "running"):
            stages.add(job["progress"]["stage"])
            assert time.monotonic() < deadline
            time.sleep(0.05)
            job = client.get(f"/api/jobs/{job['id']}").json()
        assert job["status"] == "succeeded", job
        assert job["result"]["status"] == "ingested" and job["result"]["passages"] >= 20
        assert job["progress"]["stage"] == "done" and job["finished_at"] >= job["started_at"]
        assert client.get("/api/documents").json()["count"] == 1
        assert client.get("/api/jobs/nope").status_code == 404
        assert stages, "progress was never seen"
    services.jobs.shutdown()
    store.close()


class GatedEmbedder:
    """The real (memoised) model, but each passage batch waits for the gate: a job held mid-ingest."""

    def __init__(self, inner: MemoEmbedder, delay: float = 0.0) -> None:
        self._inner = inner
        self.dimension = inner.dimension
        self.gate = threading.Event()
        self.entered = threading.Event()
        self._delay = delay

    def start(self) -> None:
        self._inner.start()

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        self.entered.set()
        if self._delay:
            time.sleep(self._delay)
        else:
            self.gate.wait(60)
        return self._inner.embed_passages(texts)

    def embed_query(self, text: str) -> list[float]:
        return self._inner.embed_query(text)


@pytest.fixture
def gated(memo_embedder: MemoEmbedder, tmp_path: Path) -> Iterator[tuple[Served, GatedEmbedder]]:
    embedder = GatedEmbedder(memo_embedder)
    services, store = seeded_services(embedder, tmp_path / "data", seed=False, api_keys=KEYS,  # type: ignore[arg-type]
                                      job_threshold_bytes=0)  # fmt: skip
    with serve(services) as client:
        yield Served(client, services), embedder
    embedder.gate.set()
    services.jobs.shutdown()
    store.close()


def test_a_cancelled_job_stops_before_it_writes(gated: tuple[Served, GatedEmbedder]) -> None:
    served, embedder = gated
    before = snapshot(served.store)
    r = served.client.post("/api/documents", files={"file": (SEED.name, SEED.read_bytes(), "text/plain")},
                           headers=AUTH)  # fmt: skip
    job_id = r.json()["id"]
    assert embedder.entered.wait(60), "the job never reached embedding"
    assert served.client.get(f"/api/jobs/{job_id}").json()["progress"]["stage"] == "embedding"
    assert served.client.delete(f"/api/jobs/{job_id}").status_code == 401  # cancelling is a write
    assert served.client.delete(f"/api/jobs/{job_id}", headers=AUTH).status_code == 200
    embedder.gate.set()
    job = wait_for_job(served.client, job_id)
    assert job["status"] == "cancelled" and job["error"]["code"] == "ingest_cancelled", job
    assert snapshot(served.store) == before


def test_a_job_over_its_time_is_cancelled_and_writes_nothing(memo_embedder: MemoEmbedder, tmp_path: Path) -> None:
    embedder = GatedEmbedder(memo_embedder, delay=2.5)
    services, store = seeded_services(embedder, tmp_path / "data", seed=False, api_keys=KEYS,  # type: ignore[arg-type]
                                      job_threshold_bytes=0, ingest_timeout_s=2.0)  # fmt: skip
    with serve(services) as client:
        r = client.post("/api/documents", files={"file": (SEED.name, SEED.read_bytes(), "text/plain")}, headers=AUTH)
        job = wait_for_job(client, r.json()["id"])
        assert job["status"] == "cancelled" and job["error"]["code"] == "ingest_timeout", job
        assert "2 s" in job["error"]["message"]
        assert client.get("/api/documents").json()["count"] == 0
    services.jobs.shutdown()
    store.close()


@pytest.mark.parametrize("store", ["embedded"], indirect=True)
def test_a_real_socket_gets_413_without_sending_the_body(live_server: LiveServer) -> None:
    """Over uvicorn: 100 MB declared, 1 MB sent, the answer comes at once and the server goes on."""
    conn = http.client.HTTPConnection("127.0.0.1", live_server.port, timeout=10)
    started = time.monotonic()
    conn.putrequest("POST", "/api/documents")
    conn.putheader("Content-Type", "multipart/form-data; boundary=x")
    conn.putheader("Content-Length", str(100 * MB))
    conn.endheaders()
    with contextlib.suppress(OSError):  # the server may close its side first: that is the point
        conn.send(b"x" * MB)
    response = conn.getresponse()
    assert response.status == 413 and json.loads(response.read())["error"]["code"] == "file_too_large"
    assert time.monotonic() - started < 5
    conn.close()
    again = http.client.HTTPConnection("127.0.0.1", live_server.port, timeout=30)
    again.request("GET", "/healthz")
    assert again.getresponse().status == 200
    again.close()

