"""API fixtures: the seed ingested into each store (real model, real stores), a test client, and a live
uvicorn server in a subprocess for the eval script and the browser."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from graph.store import GraphStore
from ingest.embedding import Embedder, SentenceTransformerEmbedder
from search_api.app import create_app
from search_api.services import Services
from search_api.settings import Settings
from tests.conftest import CORPUS_DIR, MODEL_DIR, ROOT, SEED

DEV_QA = ROOT.parent / "shared" / "eval" / "seed_dev_qa.json"
EXTRA_QA = Path(__file__).resolve().parent / "data" / "seed_extra_qa.json"


class MemoEmbedder:
    """The real model, memoised per text: tests ingest the same seed many times, and the vectors of a
    text never change, so each is computed once per session."""

    def __init__(self, inner: SentenceTransformerEmbedder) -> None:
        self._inner = inner
        self.dimension = inner.dimension
        self._passages: dict[str, list[float]] = {}
        self._queries: dict[str, list[float]] = {}

    def start(self) -> None:
        self._inner.start()

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        missing = [t for t in dict.fromkeys(texts) if t not in self._passages]
        if missing:
            self._passages.update(zip(missing, self._inner.embed_passages(missing), strict=True))
        return [self._passages[t] for t in texts]

    def embed_query(self, text: str) -> list[float]:
        if text not in self._queries:
            self._queries[text] = self._inner.embed_query(text)
        return self._queries[text]


@pytest.fixture(scope="session")
def memo_embedder(embedder: SentenceTransformerEmbedder) -> MemoEmbedder:
    return MemoEmbedder(embedder)


def make_services(store: GraphStore, embedder: Embedder, data_dir: Path, **settings: object) -> Services:
    config = Settings(
        store=store.name,  # type: ignore[arg-type]
        data_dir=data_dir,
        corpus_dir=CORPUS_DIR,
        embedding_model=str(MODEL_DIR),
        **settings,  # type: ignore[arg-type]
    )
    return Services.create(config, store, embedder)


def ingest_seed(services: Services) -> None:
    summary = services.ingest_pipeline().ingest_paths([SEED])
    assert summary.ok, summary.errors
    assert summary.documents == 1


@pytest.fixture
def services(store: GraphStore, memo_embedder: MemoEmbedder, tmp_path: Path) -> Services:
    """Services over a store (embedded and Neo4j) holding the seed document."""
    svc = make_services(store, memo_embedder, tmp_path / "data")
    ingest_seed(svc)
    return svc


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services.settings, services)) as c:
        yield c


@pytest.fixture
def empty_client(store: GraphStore, memo_embedder: MemoEmbedder, tmp_path: Path) -> Iterator[TestClient]:
    svc = make_services(store, memo_embedder, tmp_path / "data")
    with TestClient(create_app(svc.settings, svc)) as c:
        yield c


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._env = env
        self._log = log
        self._proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 120.0) -> None:
        cmd = [sys.executable, "-m", "uvicorn", "--factory", "search_api.app:create_app"]
        cmd += ["--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning"]
        with self._log.open("wb") as log:
            self._proc = subprocess.Popen(cmd, cwd=ROOT, env=self._env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(f"uvicorn exited: {self._log.read_text('utf-8', 'replace')[-3000:]}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise TimeoutError(f"uvicorn did not answer: {self._log.read_text('utf-8', 'replace')[-3000:]}")

    def stop(self) -> None:
        if self._proc is not None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
            self._proc = None


@pytest.fixture
def live_server(services: Services, tmp_path: Path) -> Iterator[LiveServer]:
    """uvicorn in a subprocess serving the store the `services` fixture filled (same data folder or
    the same Neo4j database), configured only through CHUYI_ environment variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHUYI_")}
    env.update(
        CHUYI_STORE=services.store.name,
        CHUYI_DATA_DIR=str(services.settings.data_dir),
        CHUYI_EMBEDDING_MODEL=str(MODEL_DIR),
        CHUYI_CORPUS_DIR=str(CORPUS_DIR),
        PYTHONPATH=str(ROOT),
    )
    if services.store.name == "neo4j":
        env["CHUYI_NEO4J_URI"] = os.environ["CHUYI_TEST_NEO4J_URI"]
    server = LiveServer(env, tmp_path / "uvicorn.log")
    server.start()
    yield server
    server.stop()
