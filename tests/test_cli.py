"""The `chuyi` command end to end (real model, embedded store), exit codes included."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from search_api.cli import EXIT_OK, EXIT_PARTIAL, EXIT_USAGE
from tests.conftest import CORPUS_DIR, ROOT

pytestmark = pytest.mark.slow  # each test runs `chuyi` in a subprocess that loads the model


def _chuyi(args: list[str], data_dir: Path, model_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CHUYI_DATA_DIR": str(data_dir), "CHUYI_EMBEDDING_MODEL": str(model_dir)}
    env.pop("CHUYI_STORE", None)
    return subprocess.run(
        [sys.executable, "-m", "search_api.cli", *args],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=600, check=False,
    )  # fmt: skip


def test_ingest_then_search(tmp_path: Path, model_dir: Path) -> None:
    r = _chuyi(["ingest", "--quiet", str(CORPUS_DIR)], tmp_path, model_dir)
    assert r.returncode == EXIT_OK, r.stderr
    assert "documents: 1 ingested" in r.stdout
    r = _chuyi(["search", "--json", "--top-k", "3", "给紧缺技能人才的住房优惠"], tmp_path, model_dir)
    assert r.returncode == EXIT_OK, r.stderr
    body = json.loads(r.stdout)
    assert "住房医疗" in body["results"][0]["text"]


def test_ingest_with_a_bad_file_exits_partial(tmp_path: Path, model_dir: Path) -> None:
    bad = tmp_path / "in" / "empty.txt"
    bad.parent.mkdir()
    bad.write_text("", encoding="utf-8")
    r = _chuyi(["ingest", "--quiet", str(CORPUS_DIR), str(bad)], tmp_path / "data", model_dir)
    assert r.returncode == EXIT_PARTIAL
    assert "empty.txt" in r.stderr and "EmptyDocument" in r.stderr
    assert "documents: 1 ingested" in r.stdout


def test_usage_error(tmp_path: Path, model_dir: Path) -> None:
    r = _chuyi(["ingest"], tmp_path, model_dir)
    assert r.returncode == EXIT_USAGE
