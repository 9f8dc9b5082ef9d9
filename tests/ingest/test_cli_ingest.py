"""`chuyi ingest`: closing summary, cleaning reports under the data folder, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from search_api.cli import EXIT_OK, EXIT_PARTIAL
from tests.conftest import ROOT, SEED
from tests.ingest.conftest import DATA, UNSEEN

pytestmark = pytest.mark.slow  # `chuyi ingest` in a subprocess that loads the model


def _chuyi(args: list[str], data_dir: Path, model_dir: Path,
           extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:  # fmt: skip
    env = {**os.environ, "CHUYI_DATA_DIR": str(data_dir), "CHUYI_EMBEDDING_MODEL": str(model_dir),
           "CHUYI_CORPUS_DIR": str(ROOT / "corpora")}  # fmt: skip
    env.pop("CHUYI_STORE", None)
    env.pop("CHUYI_REFERENCE_DIR", None)
    env.pop("CHUYI_LIBRARY_DIRS", None)
    env.update(extra_env or {})
    return subprocess.run(
        [sys.executable, "-m", "search_api.cli", "ingest", "--quiet", *args],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=600, check=False,
    )  # fmt: skip


def test_summary_reports_and_exit_codes(tmp_path: Path, model_dir: Path) -> None:
    data = tmp_path / "data"
    r = _chuyi([str(SEED), str(UNSEEN)], data, model_dir)
    assert r.returncode == EXIT_OK, r.stderr
    assert "documents: 2 ingested, 0 unchanged" in r.stdout
    assert "duplicates dropped: 41" in r.stdout and "errors: 0" in r.stdout  # 40 in the seed, 1 in ours
    assert f"cleaning reports: {data / 'reports'}" in r.stdout
    reports = sorted((data / "reports").glob("*.json"))
    assert len(reports) == 3  # one per document and the run summary
    seed_report = next(p for p in reports if p.name.startswith("湖南省职业教育楚怡行动计划"))
    body = json.loads(seed_report.read_text(encoding="utf-8"))
    assert body["metadata"]["issuers"][1] == "湖南省教育厅" and body["passages"] >= 20

    bad = tmp_path / "in" / "scan.pdf"
    bad.parent.mkdir()
    bad.write_bytes(b"%PDF-1.4 broken")
    r = _chuyi([str(SEED), str(bad)], data, model_dir)
    assert r.returncode == EXIT_PARTIAL
    assert "documents: 0 ingested, 1 unchanged" in r.stdout and "errors: 1" in r.stdout
    assert "scan.pdf: CorruptFile" in r.stderr


def test_library_folders_skipped_files_and_duplicates(tmp_path: Path, model_dir: Path) -> None:
    library = tmp_path / "laws"
    library.mkdir()
    law = DATA / "中华人民共和国刑法_节选.txt"
    (library / law.name).write_bytes(law.read_bytes())
    (library / "SOURCES.md").write_text("# Sources\n", encoding="utf-8")
    gbk = tmp_path / "in" / "株洲方案_GBK副本.txt"
    gbk.parent.mkdir()
    gbk.write_bytes(UNSEEN.read_text(encoding="utf-8").encode("gbk"))
    env = {"CHUYI_LIBRARY_DIRS": f"{library}{os.pathsep}{tmp_path / 'absent'}"}
    r = _chuyi([str(UNSEEN), str(gbk)], tmp_path / "data", model_dir, env)
    assert r.returncode == EXIT_OK, r.stderr
    assert "documents: 2 ingested, 0 unchanged, 1 duplicate" in r.stdout  # ours and the law read in place
    assert f"duplicate: {gbk}: the same text as {UNSEEN.name}" in r.stdout
    assert "skipped (not policy texts): 1 files: SOURCES.md" in r.stdout
    assert "library folder not found (CHUYI_LIBRARY_DIRS)" in r.stderr
    assert not (ROOT / "corpora" / law.name).exists()  # read in place, never copied
