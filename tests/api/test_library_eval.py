"""The library dev set through the running API (scripts/eval_dev.py against uvicorn in a subprocess), over
the whole library the run command serves: the seed plus the 22 laws of ../shared/data. Embedded store
only: the Neo4j store answers the same (tests/api/test_library.py runs on both)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.factory import make_store
from search_api.services import Services
from tests.api.conftest import DEV_QA, LiveServer, MemoEmbedder, ingest_seed, make_services, service_env
from tests.conftest import ROOT, SHARED

pytestmark = pytest.mark.slow  # the 22 laws through the model, then uvicorn and the eval script

LIBRARY_DEV = SHARED / "eval" / "library_dev.json"


@pytest.fixture(scope="module")
def whole_library(memo_embedder: MemoEmbedder, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    laws = Path(os.environ.get("CHUYI_TEST_REFERENCE_DIR") or SHARED / "data") / "lawrefbook-laws"
    if not laws.is_dir() or not LIBRARY_DEV.is_file():
        pytest.skip(f"the laws ({laws}) or {LIBRARY_DEV} are absent (they ship in ../shared)")
    data = tmp_path_factory.mktemp("library") / "data"
    store = make_store("embedded", data_dir=data)
    store.start()
    services = make_services(store, memo_embedder, data)
    ingest_seed(services)
    files = sorted(p for p in laws.rglob("*.md") if p.name != "SOURCES.md")
    summary = services.ingest_pipeline().ingest_paths(files)
    assert summary.ok and summary.documents == 22, summary.errors
    store.close()  # the server below reads the saved store
    yield services


@pytest.fixture(scope="module")
def server(whole_library: Services, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    env = service_env(whole_library.settings.data_dir)
    live = LiveServer(env, tmp_path_factory.mktemp("uvicorn") / "uvicorn.log")
    live.start()
    yield live
    live.stop()


def _eval(server: LiveServer, qa: Path, *extra: str) -> tuple[subprocess.CompletedProcess[str], dict]:
    cmd = [sys.executable, str(ROOT / "scripts" / "eval_dev.py"), server.url, "--qa", str(qa), "--json", *extra]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    return run, json.loads(run.stdout.strip().splitlines()[-1]) if run.stdout.strip() else {}


def test_library_dev_meets_the_targets(server: LiveServer) -> None:
    run, totals = _eval(server, LIBRARY_DEV, "--min-search", "15", "--min-ask", "6", "--min-refused", "6")
    assert run.returncode == 0, run.stdout + run.stderr
    assert totals["search"]["hybrid"] >= 15 and totals["ask"] == 6 and totals["refused"] == 6
    assert totals["refusal_precision"] == 1.0 and totals["refusal_recall"] == 1.0
    # The article and version questions at rank 1.
    ranks = [line for line in run.stdout.splitlines() if line.strip().startswith("search[hybrid]")]
    firsts = {line.split()[1]: "rank=1 " in line for line in ranks}
    for item in json.loads(LIBRARY_DEV.read_text("utf-8"))["search"]:
        if item["kind"] in ("article", "version"):
            assert firsts[item["id"]], (item, ranks)


def test_seed_dev_stays_whole_in_the_library(server: LiveServer) -> None:
    run, totals = _eval(server, SHARED / DEV_QA, "--min-search", "10", "--min-ask", "5")
    assert run.returncode == 0, run.stdout + run.stderr
    assert totals["search"]["hybrid"] == 10 and totals["ask"] == 5
