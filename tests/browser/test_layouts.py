"""The page on a phone (390×844) and in dark mode, in real headless Chromium: the title stays on one line,
nothing is wider than the screen, the chat box never covers the results, entity or graph panels, and the
colours follow prefers-color-scheme. Screenshots of every view on the phone, and in dark mode."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.api.conftest import LiveServer
from tests.browser.cdp import Browser
from tests.browser.steps import ask, click, last_answer, open_page, set_value

pytestmark = [pytest.mark.parametrize("store", ["embedded"], indirect=True), pytest.mark.slow]
Shots = Callable[[Browser, str], Path]

# True when the element's centre, once scrolled into view, is the element itself (nothing covers it).
UNCOVERED = """(sel => { const e = document.querySelector(sel); e.scrollIntoView({block: 'center'});
  const r = e.getBoundingClientRect();
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return r.width > 0 && r.height > 0 && (e === hit || e.contains(hit)); })"""
BACKGROUND = "getComputedStyle(document.body).backgroundColor"


def _brightness(rgb: str) -> float:
    r, g, b = (float(x) for x in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3])
    return 0.299 * r + 0.587 * g + 0.114 * b


def _one_line_title(browser: Browser) -> None:
    height, line = browser.evaluate(
        "(h => [h.getBoundingClientRect().height, parseFloat(getComputedStyle(h).lineHeight)])"
        "(document.querySelector('.top h1'))"
    )
    assert height < 1.5 * line, (height, line)


def test_phone_layout(live_server: LiveServer, browser: Browser, shots: Shots) -> None:
    browser.phone()
    open_page(browser, live_server.url)
    _one_line_title(browser)
    assert browser.evaluate("innerWidth") == 390
    shots(browser, "01-phone-start")
    ask(browser, "新化县楚怡工业学校被支持建设什么？")
    assert "文化传承基地" in last_answer(browser)
    browser.wait_for(
        "document.querySelectorAll('#results li').length > 0 && document.querySelectorAll('.entity-card').length > 0"
    )
    assert browser.evaluate("document.documentElement.scrollWidth") <= 390
    assert browser.evaluate("getComputedStyle(document.querySelector('.chat')).position") == "static"
    for panel in ("#results", "#entities", ".msg.bot .answer-text"):
        assert browser.evaluate(f"{UNCOVERED}({panel!r})"), f"{panel} is covered"
    browser.evaluate("document.querySelector('.msg.bot').scrollIntoView({block: 'start'})")
    shots(browser, "02-phone-answer")
    browser.evaluate("document.querySelector('#results').scrollIntoView({block: 'start'})")
    shots(browser, "03-phone-results")

    click(browser, ".tab[data-view=graph]")
    set_value(browser, "#graph-query", "新化县楚怡工业学校")
    browser.evaluate("document.querySelector('#graph-find').requestSubmit()")
    browser.wait_for("window.chuyiGraph.cy && window.chuyiGraph.cy.nodes().length >= 3")
    assert browser.evaluate(f"{UNCOVERED}('#cy')")
    assert browser.evaluate(f"{UNCOVERED}('#graph-card')")
    assert browser.evaluate("document.documentElement.scrollWidth") <= 390
    browser.evaluate("window.scrollTo(0, 0)")
    shots(browser, "04-phone-graph")

    click(browser, ".tab[data-view=match]")
    assert browser.evaluate("document.documentElement.scrollWidth") <= 390
    shots(browser, "05-phone-match")
    click(browser, ".tab[data-view=library]")
    browser.wait_for("document.querySelectorAll('#library-rows tr').length === 1")
    assert browser.evaluate("document.documentElement.scrollWidth") <= 390
    _one_line_title(browser)
    shots(browser, "06-phone-library")


def test_dark_mode_follows_the_system(live_server: LiveServer, browser: Browser, shots: Shots) -> None:
    open_page(browser, live_server.url)
    assert _brightness(browser.evaluate(BACKGROUND)) > 200  # light by default
    browser.color_scheme("dark")
    browser.wait_for(f"(c => c !== 'rgb(246, 244, 239)')({BACKGROUND})")
    assert _brightness(browser.evaluate(BACKGROUND)) < 50
    ink = browser.evaluate("getComputedStyle(document.body).color")
    assert _brightness(ink) > 180
    ask(browser, "新化县楚怡工业学校被支持建设什么？")
    last_answer(browser)
    shots(browser, "01-dark-chat")
    click(browser, ".tab[data-view=graph]")
    set_value(browser, "#graph-query", "新化县楚怡工业学校")
    browser.evaluate("document.querySelector('#graph-find').requestSubmit()")
    browser.wait_for("window.chuyiGraph.cy && window.chuyiGraph.cy.nodes().length >= 3")
    # The graph's labels follow the scheme too (read from the page's colours).
    label = browser.evaluate("window.chuyiGraph.cy.nodes()[0].style('color')")
    assert _brightness(label) > 180, label
    shots(browser, "02-dark-graph")
    browser.phone()
    browser.evaluate("window.scrollTo(0, 0)")
    shots(browser, "03-dark-phone-graph")
