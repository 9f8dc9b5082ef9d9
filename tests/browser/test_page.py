"""The web page in real headless Chromium, driven over the DevTools protocol, against a live uvicorn
(embedded store + seed): ask a question, see the answer with citations, results, entities, the graph."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import get_args

import pytest

from graph.models import NodeLabel, RelType
from tests.api.conftest import LiveServer
from tests.browser.cdp import Browser, chromium_binary

pytestmark = [pytest.mark.parametrize("store", ["embedded"], indirect=True), pytest.mark.slow]  # uvicorn + chromium


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    binary = chromium_binary()
    if binary is None:
        if os.environ.get("CI") or os.environ.get("CHUYI_REQUIRE_NEO4J"):
            pytest.fail("chromium is not installed (.ci/run installs the Debian package)")
        pytest.skip("chromium is not installed; install the Debian package `chromium` to run browser tests")
    b = Browser(binary, tmp_path / "profile")
    b.start()
    yield b
    b.close()


def _ask(browser: Browser, question: str) -> None:
    browser.evaluate(
        f"""(() => {{
        const input = document.querySelector('#question');
        input.focus();
        input.value = {json.dumps(question)};
        input.dispatchEvent(new Event('input', {{bubbles: true}}));
        document.querySelector('#ask-button').click();
    }})()"""
    )


def _last_answer_done(browser: Browser, timeout: float = 90) -> str:
    browser.wait_for(
        "(() => { const a = [...document.querySelectorAll('.msg.bot .answer-text')].pop();"
        " return a && !a.classList.contains('pending') && a.textContent.length > 0; })()",
        timeout,
    )
    return str(browser.evaluate("[...document.querySelectorAll('.msg.bot .answer-text')].pop().textContent"))


def test_ask_on_the_page_shows_answer_citations_results_and_graph(
    live_server: LiveServer, browser: Browser, tmp_path: Path
) -> None:
    browser.navigate(live_server.url + "/")
    status = browser.wait_for("document.querySelector('#store-status').textContent.includes('份文件') && "
                              "document.querySelector('#store-status').textContent")  # fmt: skip
    assert "embedded" in status and "1 份文件" in status

    _ask(browser, "新化县楚怡工业学校被支持建设什么？")
    answer = _last_answer_done(browser)
    assert "文化传承基地" in answer
    assert browser.evaluate("document.querySelector('.msg.user').textContent") == "新化县楚怡工业学校被支持建设什么？"

    # A citation chip opens the cited passage.
    assert browser.evaluate("document.querySelectorAll('.msg.bot .citation').length") >= 1
    assert browser.evaluate("document.querySelector('.msg.bot .passage').hidden") is True
    browser.evaluate("document.querySelector('.msg.bot .citation').click()")
    passage = browser.evaluate("document.querySelector('.msg.bot .passage').hidden ? '' : "
                               "document.querySelector('.msg.bot .passage').textContent")  # fmt: skip
    assert "新化县楚怡工业学校" in passage

    # The result list shows passages with the query words marked.
    browser.wait_for("document.querySelectorAll('#results li').length > 0")
    marks = browser.evaluate("[...document.querySelectorAll('#results li mark')].map(m => m.textContent)")
    assert marks and any(m in ("新化县", "楚怡", "工业学校", "建设", "支持") for m in marks)

    # Entity cards for what the question names, and the SVG neighbourhood of one of them.
    browser.wait_for("document.querySelectorAll('.entity-card').length > 0")
    cards = browser.evaluate("[...document.querySelectorAll('.entity-card h3')].map(h => h.textContent)")
    assert any("新化县楚怡工业学校" in c for c in cards)
    browser.evaluate(
        "[...document.querySelectorAll('.entity-card')].find(c => c.textContent.includes('新化县楚怡工业学校'))"
        ".querySelector('.graph-link').click()"
    )
    browser.wait_for("document.querySelectorAll('#graph svg .node').length >= 2")
    labels = browser.evaluate("[...document.querySelectorAll('#graph svg .node text')].map(t => t.textContent)")
    assert any("文化传承基地" in t for t in labels)
    # Relationship types and labels read in Chinese (from /api/vocabulary), never as ASCII types.
    shown = browser.evaluate(
        "[...document.querySelectorAll('#graph svg .edge-label, #graph svg .legend, .entity-card li, "
        ".entity-card .badge, .msg.bot .facts li, .msg.bot .badge')].map(t => t.textContent)"
    )
    schema_words = re.compile("|".join([*get_args(RelType), *get_args(NodeLabel)]))
    assert shown and not [t for t in shown if schema_words.search(t)], shown

    # A second, streamed answer is appended under the first.
    _ask(browser, "全省遴选建设的楚怡高水平高职院校有几所？")
    browser.wait_for("document.querySelectorAll('.msg.bot').length === 2")
    assert "10" in _last_answer_done(browser)

    shot = browser.screenshot(tmp_path / "page.png")
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    out = os.environ.get("CHUYI_SCREENSHOT_DIR")
    if out:  # keep the picture for a human to look at
        Path(out).mkdir(parents=True, exist_ok=True)
        (Path(out) / "page.png").write_bytes(data)


def test_page_shows_api_errors(live_server: LiveServer, browser: Browser) -> None:
    browser.navigate(live_server.url + "/")
    _ask(browser, "楚" * 600)  # over the 500-character limit the input allows through the API
    text = _last_answer_done(browser)
    assert "出错了" in text and "invalid_request" in text
