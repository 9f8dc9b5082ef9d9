"""The matching view for a school's teaching director, in real headless Chromium against a live uvicorn
over a store holding the reference data (专业目录, GB/T 4754, institutions, SERVES): 工程机械 at 高职专科
→ ranked 专业 with a reason and expandable evidence; the reverse (数控技术 → industries and chains); a 中职
school's gaps for 工程机械 with its offerings read from a CSV file in the browser; a chat question about a chain
answered by matching, whose link opens this view on its ranking; the school picker (a 中职 school from
/api/match/schools, its level as the list gives it) and that school's gaps."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from graph.factory import make_store
from search_api.ask.schemas import INTENT_NAMES
from search_api.matching.schemas import EVIDENCE_NAMES, SIGNAL_NAMES
from search_api.services import Services
from tests.api.conftest import LiveServer, service_env
from tests.browser.cdp import Browser
from tests.browser.steps import ask, click, js, last_answer, open_page, set_value, texts, type_text
from tests.conftest import SEED, MemoEmbedder
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
    env = service_env(data, reference_dir=str(reference_dir))
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
    assert EVIDENCE_NAMES["crosswalk"] in evidence and "各项信号" in evidence and SIGNAL_NAMES["crosswalk"] in evidence
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


CHAIN_QUESTION = "工程机械产业链需要哪些专业？"
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_a_chat_answer_by_matching_links_to_the_ranked_specialties(
    reference_server: LiveServer, browser: Browser, shots: Shots
) -> None:
    open_page(browser, reference_server.url)
    ask(browser, CHAIN_QUESTION)
    answer = last_answer(browser)
    assert "工程机械产业链需要的专业" in answer and "智能工程机械运用技术" in answer, answer
    badge = browser.evaluate("[...document.querySelectorAll('.msg.bot .meta .badge')].pop().textContent")
    assert badge == INTENT_NAMES["match"]
    assert browser.evaluate("document.querySelector('.msg.bot .open-match').textContent") == "在专业匹配中查看 →"
    shots(browser, "01-match-answer")

    # The same question's stream says where to look before the answer: the meta event's link.
    meta = browser.evaluate(
        f"""fetch('/api/ask/stream?' + new URLSearchParams({{question: {js(CHAIN_QUESTION)}}}))
        .then(r => r.text()).then(t => t.split('\\n\\n')[0])""",
        await_promise=True,
    )
    assert meta.startswith("event: meta\n")
    link = json.loads(meta.split("data: ", 1)[1])["link"]
    assert link == {"view": "match", "direction": "specialties", "query": "工程机械", "level": None}

    # The button opens 专业匹配 on the chain: every level (the question names none), ranked, one reason each.
    click(browser, ".msg.bot .open-match")
    browser.wait_for("!document.querySelector('#view-match').hidden && location.hash === '#match'")
    assert browser.evaluate("document.querySelector('input[name=match-mode]:checked').value") == "specialties"
    assert browser.evaluate("document.querySelector('#match-chain').value") == "工程机械"
    assert browser.evaluate("document.querySelector('#match-level').value") == ""
    names = _results(browser)
    assert "智能工程机械运用技术" in names[:5], names
    summary = browser.evaluate("document.querySelector('#match-summary').textContent")
    assert "产业链「工程机械」需要的专业" in summary and "各层次" in summary, summary
    levels = {f.split(" · ")[2] for f in texts(browser, "#match-results .match-result > p.muted")}
    assert {"中职", "高职专科"} <= levels, levels
    reason = browser.evaluate(
        "document.querySelector('#match-results .match-result[data-name=智能工程机械运用技术] .reason').textContent"
    )
    # One line of plain Chinese for a school's director: no scores, no codes, no English.
    assert CJK.search(reason) and "\n" not in reason and not re.search(r"[A-Za-z0-9]", reason), reason
    assert "工程机械" in reason
    shots(browser, "02-linked-ranking")


def test_the_school_picker_gives_a_schools_level_and_its_gaps(
    reference_server: LiveServer, browser: Browser, shots: Shots
) -> None:
    open_page(browser, reference_server.url, "match")
    click(browser, "input[name=match-mode][value=gaps]")
    # Typing part of a name lists the schools that hold it (/api/match/schools), with level and region.
    type_text(browser, "#match-school", "楚怡")
    school = "新化县楚怡工业学校"
    options = "[...document.querySelectorAll('#school-options option')]"
    browser.wait_for(f"{options}.some(o => o.value === {js(school)})", 30)
    listed = browser.evaluate(
        "fetch('/api/match/schools?q=' + encodeURIComponent('楚怡')).then(r => r.json())", await_promise=True
    )
    entry = next(s for s in listed["schools"] if s["name"] == school)
    assert entry["level"] == "中职" and entry["source"] == "graph" and entry["region"] == "新化县", entry
    option = browser.evaluate(f"{options}.find(o => o.value === {js(school)}).textContent")
    assert option == "中职 · 新化县"
    shots(browser, "01-school-suggestions")

    # Picking it (what choosing a datalist option does: the value, then an input event) shows where its
    # level comes from: a school a policy text names, not on the list of higher-education institutions.
    set_value(browser, "#match-school", school)
    browser.wait_for("document.querySelector('#school-info').textContent.includes('中职')", 30)
    info = browser.evaluate("document.querySelector('#school-info').textContent")
    assert info == "政策文件所列学校，层次按校名：中职 · 新化县（按此层次匹配）", info
    shots(browser, "02-school-picked")

    # Its gaps for a chain from the chain picker (/api/match/chains), the level left to the school.
    browser.wait_for("[...document.querySelectorAll('#chain-options option')].some(o => o.value === '工程机械')")
    set_value(browser, "#match-chain", "工程机械")
    assert browser.evaluate("document.querySelector('#match-level').value") == ""
    click(browser, "#match-button")
    browser.wait_for("document.querySelector('#match-summary').textContent.includes('专业缺口')", 60)
    summary = browser.evaluate("document.querySelector('#match-summary').textContent")
    assert f"{school}：产业链「工程机械」的专业缺口" in summary, summary
    assert "层次：中职（按学校名称） · 地区：新化县" in summary and "已开设 0 个" in summary, summary
    missing = _results(browser)
    assert "机械制造技术" in missing and "交通工程机械运用与维修" in missing, missing
    assert all("中职" in f for f in texts(browser, "#match-results .match-result > p.muted"))
    assert all(r.strip() for r in texts(browser, "#match-results .reason"))
    shots(browser, "03-school-gaps")
