"""The matching view for a school's teaching director, in real headless Chromium against a live uvicorn
over a store holding the reference data (专业目录, GB/T 4754, institutions, SERVES): 工程机械 at 高职专科
→ ranked 专业 with a reason and expandable evidence; the reverse (数控技术 → industries and chains); a 中职
school's gaps for 工程机械 with its offerings read from a CSV file in the browser."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from graph.factory import make_store
from search_api.services import Services
from tests.api.conftest import LiveServer
from tests.browser.cdp import Browser
from tests.browser.steps import click, open_page, set_value, texts
from tests.conftest import CORPUS_DIR, MODEL_DIR, ROOT, SEED, MemoEmbedder
from tests.reference.conftest import VOCATIONAL_LAW, load_reference_step, reference_dir, reference_settings

__all__ = ["reference_dir"]  # the fixture, imported by name

pytestmark = pytest.mark.slow  # loads the reference data once, then uvicorn + chromium
Shots = Callable[[Browser, str], Path]


@pytest.fixture(scope="session")
def reference_data(reference_dir: Path, memo_embedder: MemoEmbedder, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with the seed, the 2022 职业教育法, the reference data and SERVES (made once)."""
    folder = tmp_path_factory.mktemp("page-reference") / "data"
    store = make_store("embedded", data_dir=folder)
    store.start()
    services = Services.create(reference_settings(store, reference_dir, folder), store, memo_embedder)
    summary = services.ingest_pipeline().ingest_paths([SEED, reference_dir / VOCATIONAL_LAW])
    assert summary.ok, summary.errors
    load_reference_step(services)
    store.close()
    return folder


@pytest.fixture
def reference_server(reference_data: Path, reference_dir: Path, tmp_path: Path) -> Iterator[LiveServer]:
    data = tmp_path / "data"
    shutil.copytree(reference_data, data)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHUYI_")}
    env.update(
        CHUYI_STORE="embedded",
        CHUYI_DATA_DIR=str(data),
        CHUYI_EMBEDDING_MODEL=str(MODEL_DIR),
        CHUYI_CORPUS_DIR=str(CORPUS_DIR),
        CHUYI_REFERENCE_DIR=str(reference_dir),
        PYTHONPATH=str(ROOT),
    )
    server = LiveServer(env, tmp_path / "uvicorn.log")
    server.start()
    yield server
    server.stop()


def _results(browser: Browser) -> list[str]:
    browser.wait_for("document.querySelectorAll('#match-results .match-result').length > 0", 60)
    return texts(browser, "#match-results .match-name")


def test_matching_for_a_chain_the_reverse_and_a_schools_gaps(
    reference_server: LiveServer, browser: Browser, tmp_path: Path, shots: Shots
) -> None:
    open_page(browser, reference_server.url, "match")
    set_value(browser, "#match-chain", "工程机械")
    browser.evaluate("document.querySelector('#match-level').value = '高职专科'")
    click(browser, "#match-button")
    names = _results(browser)
    assert len(names) >= 10 and any("工程机械" in n for n in names[:3]), names
    summary = browser.evaluate("document.querySelector('#match-summary').textContent")
    assert "工程机械" in summary and "高职专科" in summary
    facts = texts(browser, "#match-results .match-result > p.muted")
    assert all("高职专科" in f for f in facts), facts
    reasons = texts(browser, "#match-results .reason")
    assert all(r.strip() for r in reasons)
    levels = texts(browser, "#match-results .relevance .word")
    assert levels[0] == "相关度高" and set(levels) <= {"相关度高", "相关度中", "相关度低"}
    shots(browser, "01-chain-to-specialties")
    # The evidence opens under a result: the crosswalk row and the signals, in Chinese.
    browser.evaluate("document.querySelector('#match-results .match-evidence').open = true")
    evidence = browser.evaluate("document.querySelector('#match-results .match-evidence').textContent")
    assert "专业类对照" in evidence and "各项信号" in evidence
    shots(browser, "02-evidence")

    # The reverse: a 专业 → industries and chains.
    click(browser, "input[name=match-mode][value=industries]")
    assert browser.evaluate("document.querySelector('#match-specialty').closest('.field').hidden") is False
    set_value(browser, "#match-specialty", "数控技术")
    click(browser, "#match-button")
    browser.wait_for("document.querySelector('#match-summary').textContent.includes('数控技术')", 60)
    names = _results(browser)
    facts = texts(browser, "#match-results .match-result > p.muted")
    assert (
        "工程机械" in names and any(f.startswith("产业链") for f in facts) and any(f.startswith("行业") for f in facts)
    )
    shots(browser, "03-specialty-to-industries")

    # A 中职 school's gaps for 工程机械: its offerings from a CSV file, parsed in the browser.
    click(browser, "input[name=match-mode][value=gaps]")
    csv = tmp_path / "开设专业.csv"
    csv.write_text('\ufeff专业代码,专业名称\n700206,交通工程机械运用与维修\n660103,"数控技术应用"\n', encoding="utf-8")
    browser.choose_file("#offerings-file", csv)
    browser.wait_for("document.querySelector('#offerings-note').textContent.includes('2 个专业')")
    offerings = browser.evaluate("document.querySelector('#match-offerings').value")
    assert offerings == "交通工程机械运用与维修\n数控技术应用"
    set_value(browser, "#match-chain", "工程机械")
    browser.evaluate("document.querySelector('#match-level').value = '中职'")
    click(browser, "#match-button")
    browser.wait_for("document.querySelector('#match-summary').textContent.includes('专业缺口')", 60)
    summary = browser.evaluate("document.querySelector('#match-summary').textContent")
    assert "层次：中职" in summary and "已开设：交通工程机械运用与维修" in summary and "覆盖率" in summary
    missing = _results(browser)
    assert len(missing) >= 3 and "交通工程机械运用与维修" not in missing
    assert all("中职" in f for f in texts(browser, "#match-results .match-result > p.muted"))
    shots(browser, "04-school-gaps")
