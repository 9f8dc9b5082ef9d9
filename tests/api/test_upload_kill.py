"""kill -9 of the service while an upload job is ingesting (embedded store): after a restart on the same
data folder the store holds the document whole or not at all — never part of it — and the next upload
of it completes. The strikes land while the job embeds (before its write) and while it writes."""

from __future__ import annotations

import random
import signal
import time
from pathlib import Path

import httpx
import pytest

from ingest.bundle import DocumentBuilder
from ingest.knowledge import KnowledgeBase
from ingest.loaders import load_file
from search_api.services import Services
from tests.api.conftest import LiveServer, service_env
from tests.conftest import CORPUS_DIR, SEED

# kill -9 of uvicorn subprocesses
pytestmark = [pytest.mark.parametrize("store", ["embedded"], indirect=True), pytest.mark.slow]
SEED_PASSAGES = 25


def _big_document(path: Path) -> int:
    """About 300 KB of policy-like text (over the job threshold, a few hundred passages to embed);
    returns how many passages a whole ingest of it writes."""
    sentences = [s for s in SEED.read_text(encoding="utf-8").replace("\n", "").split("。") if len(s) > 10]
    rng = random.Random(12)
    parts = ["关于大规模测试文件的通知"]
    for section in range(1, 61):
        parts.append(f"{section}、第{section}部分")
        for k in range(1, 25):
            parts.append(f"（{k}）{rng.choice(sentences)}；{rng.choice(sentences)}，第{section}部分第{k}项。")
    path.write_text("\n\n".join(parts), encoding="utf-8")
    assert path.stat().st_size > 256 * 1024
    builder = DocumentBuilder(KnowledgeBase.load(CORPUS_DIR / "knowledge"))
    return len(builder.build(load_file(path, 10**8)).bundle.passages)


def _server(services: Services, tmp_path: Path, name: str) -> LiveServer:
    server = LiveServer(service_env(services.settings.data_dir), tmp_path / f"{name}.log")
    server.start(timeout=180)
    return server


def _state(url: str) -> tuple[int, int]:
    stats = httpx.get(url + "/api/stats", timeout=30).json()
    return stats["nodes"].get("Document", 0), stats["nodes"].get("Passage", 0)


def test_kill_9_mid_upload_leaves_no_partial_document(services: Services, tmp_path: Path) -> None:
    services.store.close()  # the live servers own the data folder from here on
    document = tmp_path / "大规模测试文件.txt"
    expected = _big_document(document)
    strikes = ["embedding", "writing", "random"]
    outcomes = []
    for round_, strike in enumerate(strikes):
        server = _server(services, tmp_path, f"round{round_}")
        assert _state(server.url) in ((1, SEED_PASSAGES), (2, SEED_PASSAGES + expected))
        with httpx.Client(base_url=server.url, timeout=60) as client:
            r = client.post("/api/documents", files={"file": (document.name, document.read_bytes(), "text/plain")})
            assert r.status_code == 202, r.text
            job_url = f"/api/jobs/{r.json()['id']}"
            deadline = time.monotonic() + 300
            while True:
                job = client.get(job_url).json()
                if strike == "random" and job["status"] == "running":
                    time.sleep(random.Random(round_).uniform(0.0, 3.0))
                    break
                if job["progress"]["stage"] == strike or job["status"] not in ("queued", "running"):
                    break
                assert time.monotonic() < deadline, job
                time.sleep(0.02 if strike == "writing" else 0.2)
        assert server._proc is not None
        server._proc.send_signal(signal.SIGKILL)
        server._proc.wait()
        server._proc = None
        restarted = _server(services, tmp_path, f"restart{round_}")
        docs, passages = _state(restarted.url)
        outcomes.append((strike, job["progress"]["stage"], docs, passages))
        # Whole or nothing: the seed alone, or the seed and every passage of the new document.
        assert (docs, passages) in ((1, SEED_PASSAGES), (2, SEED_PASSAGES + expected)), outcomes
        assert not list(services.settings.data_dir.rglob(".graph-*.tmp"))
        restarted.stop()
    # The next upload completes (or finds the document already whole).
    server = _server(services, tmp_path, "final")
    with httpx.Client(base_url=server.url, timeout=60) as client:
        r = client.post("/api/documents", files={"file": (document.name, document.read_bytes(), "text/plain")})
        deadline = time.monotonic() + 300
        job = r.json()
        while job["status"] in ("queued", "running"):
            assert time.monotonic() < deadline, job
            time.sleep(0.5)
            job = client.get(f"/api/jobs/{job['id']}").json()
        assert job["status"] == "succeeded", job
    assert _state(server.url) == (2, SEED_PASSAGES + expected), outcomes
    server.stop()
    print("kill -9 rounds (strike, stage seen, documents, passages):", outcomes)
