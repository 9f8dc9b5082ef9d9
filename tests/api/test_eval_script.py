"""scripts/eval_dev.py against a live uvicorn (subprocess, configured by CHUYI_ variables) on both stores."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.api.conftest import LiveServer
from tests.conftest import ROOT


@pytest.mark.slow  # a live uvicorn subprocess and the script in another
def test_eval_script_meets_the_dev_targets(live_server: LiveServer, dev_qa: Path) -> None:
    cmd = [sys.executable, str(ROOT / "scripts" / "eval_dev.py"), live_server.url, "--qa", str(dev_qa)]
    cmd += ["--modes", "hybrid,dense,keyword", "--min-search", "9", "--min-ask", "5", "--json"]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    totals = json.loads(run.stdout.strip().splitlines()[-1])
    assert totals["search"]["hybrid"] >= 9 and totals["search_total"] == 10
    assert totals["ask"] == 5 == totals["ask_total"]
    assert "search hits@5 [hybrid]:" in run.stdout and "ask hits: 5/5" in run.stdout


def test_eval_script_reports_an_unreachable_api(dev_qa: Path) -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "eval_dev.py"), "http://127.0.0.1:9", "--qa", str(dev_qa)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode != 0 and "cannot reach" in run.stderr
