"""`chuyi ingest corpora/` with CHUYI_REFERENCE_DIR set loads the reference data, our knowledge and SERVES;
running it again changes nothing. Without the setting no reference step runs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graph.factory import make_store
from search_api.cli import EXIT_OK
from tests.conftest import CORPUS_DIR, ROOT
from tests.reference.conftest import LoadedReference

pytestmark = pytest.mark.slow  # `chuyi ingest` in a subprocess that loads the model and the reference data


def _chuyi(args: list[str], env_extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHUYI_")}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "-m", "search_api.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=900,
        check=False,
    )


def _export(data_dir: Path) -> dict[str, object]:
    store = make_store("embedded", data_dir=data_dir)
    store.start()
    try:
        return store.export_json().model_dump()
    finally:
        store.close()


def test_ingest_loads_reference_data_idempotently(
    tmp_path: Path, model_dir: Path, reference_dir: Path, match_data_dir: Path, loaded: LoadedReference
) -> None:
    data_dir = tmp_path / "data"
    # Reuse the session's name vectors (the cache is what a second run of the service would find).
    shutil.copytree(match_data_dir / "cache", data_dir / "cache")
    env = {
        "CHUYI_DATA_DIR": str(data_dir),
        "CHUYI_EMBEDDING_MODEL": str(model_dir),
        "CHUYI_REFERENCE_DIR": str(reference_dir),
        "CHUYI_CORPUS_DIR": str(CORPUS_DIR),
    }
    first = _chuyi(["ingest", "--quiet", str(CORPUS_DIR)], env)
    assert first.returncode == EXIT_OK, first.stderr
    out = first.stdout
    assert "职业教育专业目录: 专业大类/中职 19" in out and "专业/高职专科 744" in out and "专业/职业本科 247" in out
    assert "门类 20, 大类 97, 中类 473, 小类 1381" in out
    assert "湖南院校 124" in out and "湖南专科 73" in out
    assert "SERVES:" in out and "documents: 1 ingested" in out
    state = _export(data_dir)

    second = _chuyi(["ingest", "--quiet", str(CORPUS_DIR)], env)
    assert second.returncode == EXIT_OK, second.stderr
    assert "documents: 0 ingested, 1 unchanged" in second.stdout
    assert _export(data_dir) == state


def test_ingest_without_the_setting_has_no_reference_step(tmp_path: Path, model_dir: Path) -> None:
    env = {"CHUYI_DATA_DIR": str(tmp_path / "data"), "CHUYI_EMBEDDING_MODEL": str(model_dir)}
    r = _chuyi(["ingest", "--quiet", str(CORPUS_DIR)], env)
    assert r.returncode == EXIT_OK, r.stderr
    assert "SERVES" not in r.stdout and "专业目录" not in r.stdout
