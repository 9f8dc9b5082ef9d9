"""API fixtures: the seed ingested into each store (real model, real stores), a test client, and a live
uvicorn server in a subprocess for the eval script and the browser.

The seed is ingested once per session and per store kind: the embedded store's folder is copied for
each test; the Neo4j database is shared by consecutive tests until one of them (or any other test)
writes to it, which the database's bookmark shows, and then the next test seeds it again."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from neo4j import GraphDatabase

from graph.factory import make_store
from graph.store import GraphStore
from ingest.embedding import Embedder
from search_api.app import create_app
from search_api.services import Services
from search_api.settings import Settings
from tests.conftest import CORPUS_DIR, MODEL_DIR, ROOT, SEED, SHARED, MemoEmbedder, clear_neo4j, shared_path

__all__ = ["MemoEmbedder"]  # the test modules import it from here

DEV_QA = Path("eval") / "seed_dev_qa.json"  # under ../shared
EXTRA_QA = Path(__file__).resolve().parent / "data" / "seed_extra_qa.json"


def dev_qa_items(kind: str) -> list[dict]:
    """The ../shared dev questions of one kind, for parametrising at collection; [] when ../shared is
    absent (the dev_qa fixture then fails the tests with a clear message)."""
    path = SHARED / DEV_QA
    return json.loads(path.read_text("utf-8"))[kind] if path.is_file() else []


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "dev_ask_item" in metafunc.fixturenames:
        items = dev_qa_items("ask") or [None]
        metafunc.parametrize("dev_ask_item", items, ids=lambda i: i["id"] if i else "missing", indirect=True)


@pytest.fixture(scope="session")
def dev_qa() -> Path:
    """../shared/eval/seed_dev_qa.json (the shared development questions)."""
    return shared_path(DEV_QA)


@pytest.fixture
def dev_ask_item(request: pytest.FixtureRequest, dev_qa: Path) -> dict:
    """One ask question of the dev set (parametrised by pytest_generate_tests)."""
    item: dict = request.param
    return item


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


@pytest.fixture(scope="session")
def embedded_seed(memo_embedder: MemoEmbedder, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with the seed ingested through the services, made once; tests work on copies."""
    folder = tmp_path_factory.mktemp("embedded-seed") / "data"
    store = make_store("embedded", data_dir=folder)
    store.start()
    ingest_seed(make_services(store, memo_embedder, folder))
    store.close()
    return folder


class SharedNeo4jSeed:
    """The seed in the test database, reused while nothing writes to it. A read transaction's bookmark
    names the database's last committed transaction, so an unchanged bookmark means no write since."""

    def __init__(self, uri: str) -> None:
        self._uri = uri
        self._driver = GraphDatabase.driver(uri, auth=("neo4j", "neo4j"))
        self._seeded_at: frozenset[str] | None = None  # the bookmark right after the seed was (re)used
        self.holds_seed = False

    def _bookmark(self) -> frozenset[str]:
        with self._driver.session() as session:
            session.run("RETURN 1").consume()
            return frozenset(session.last_bookmarks().raw_values)

    def prepare(self) -> None:
        """Before a test: keep the database when it still holds exactly the seed, else empty it."""
        self.holds_seed = self._seeded_at is not None and self._bookmark() == self._seeded_at
        if not self.holds_seed:
            clear_neo4j(self._uri)

    def seeded(self) -> None:
        """After the test's services hold the seed: remember the database's state."""
        self.holds_seed = True
        self._seeded_at = self._bookmark()

    def close(self) -> None:
        self._driver.close()


@pytest.fixture(scope="session")
def neo4j_seed(neo4j_uri: str) -> Iterator[SharedNeo4jSeed]:
    seed = SharedNeo4jSeed(neo4j_uri)
    yield seed
    seed.close()


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """A started store of each kind; it already holds the seed when the test uses the seeded `services`
    (a copy of the session's seeded folder, or the shared seeded database), else it is empty."""
    seeded = "services" in request.fixturenames
    if request.param == "neo4j":
        uri = request.getfixturevalue("neo4j_uri")
        if seeded:
            request.getfixturevalue("neo4j_seed").prepare()
        else:
            clear_neo4j(uri)
        s: GraphStore = make_store("neo4j", data_dir=tmp_path, neo4j_uri=uri)
    else:
        if seeded:
            shutil.copytree(request.getfixturevalue("embedded_seed"), tmp_path / "data")
        s = make_store("embedded", data_dir=tmp_path / "data")
    s.start()
    yield s
    s.close()


@pytest.fixture
def services(
    store: GraphStore, memo_embedder: MemoEmbedder, tmp_path: Path, request: pytest.FixtureRequest
) -> Services:
    """Services over a store (embedded and Neo4j) holding the seed document."""
    svc = make_services(store, memo_embedder, tmp_path / "data")
    if store.name == "neo4j":
        seed: SharedNeo4jSeed = request.getfixturevalue("neo4j_seed")
        if not seed.holds_seed:
            ingest_seed(svc)
        seed.seeded()
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


def service_env(data_dir: Path, store: str = "embedded", **settings: str) -> dict[str, str]:
    """The environment of a uvicorn or `chuyi` subprocess: the caller's without its CHUYI_ variables, then the
    store, data folder, model and corpus, and any other setting given (api_keys="k" → CHUYI_API_KEYS)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHUYI_")}
    env.update(
        CHUYI_STORE=store,
        CHUYI_DATA_DIR=str(data_dir),
        CHUYI_EMBEDDING_MODEL=str(MODEL_DIR),
        CHUYI_CORPUS_DIR=str(CORPUS_DIR),
        PYTHONPATH=str(ROOT),
    )
    env.update({f"CHUYI_{name.upper()}": value for name, value in settings.items()})
    return env


@pytest.fixture
def live_server(services: Services, tmp_path: Path) -> Iterator[LiveServer]:
    """uvicorn in a subprocess serving the store the `services` fixture filled (same data folder or
    the same Neo4j database), configured only through CHUYI_ environment variables."""
    env = service_env(services.settings.data_dir, services.store.name)
    if services.store.name == "neo4j":
        env["CHUYI_NEO4J_URI"] = os.environ["CHUYI_TEST_NEO4J_URI"]
    server = LiveServer(env, tmp_path / "uvicorn.log")
    server.start()
    yield server
    server.stop()
