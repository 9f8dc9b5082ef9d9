"""The graph explorer (Cytoscape.js served by the app) in real headless Chromium: open an entity from its
card, click a node (a real mouse click on the canvas) for its card and evidence, expand it in place
(neighbours added, nothing replaced), find and highlight a path; every label is Chinese and whole."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.api.conftest import LiveServer
from tests.browser.cdp import Browser
from tests.browser.steps import SCHEMA_WORDS, ask, click, click_text, js, last_answer, open_page, set_value, texts

pytestmark = [pytest.mark.parametrize("store", ["embedded"], indirect=True), pytest.mark.slow]
Shots = Callable[[Browser, str], Path]
CY = "window.chuyiGraph.cy"


def _node_ids(browser: Browser) -> list[str]:
    return list(browser.evaluate(f"{CY}.nodes().map(n => n.id())"))


def _click_node(browser: Browser, name: str, count: int = 1) -> None:
    """A real click on the node's place on the canvas."""
    x, y = browser.evaluate(
        f"(() => {{ const n = {CY}.nodes().filter(n => n.data('name') === {js(name)})[0];"
        " const p = n.renderedPosition(); const r = document.querySelector('#cy').getBoundingClientRect();"
        " return [r.left + p.x, r.top + p.y]; })()"
    )
    browser.click_at(x, y, count)


def test_expand_a_node_in_place_and_show_a_path(live_server: LiveServer, browser: Browser, shots: Shots) -> None:
    open_page(browser, live_server.url)
    ask(browser, "新化县楚怡工业学校被支持建设什么？")
    last_answer(browser)
    browser.wait_for("document.querySelectorAll('.entity-card .graph-link').length > 0")
    click_text(browser, ".entity-card", "新化县楚怡工业学校")
    browser.evaluate(
        "[...document.querySelectorAll('.entity-card')].find(c => c.textContent.includes('新化县楚怡工业学校'))"
        ".querySelector('.graph-link').click()"
    )
    browser.wait_for("!document.querySelector('#view-graph').hidden && window.chuyiGraph.cy && "
                     f"{CY}.nodes().length >= 3")  # fmt: skip
    first = _node_ids(browser)
    names = browser.evaluate(f"{CY}.nodes().map(n => n.data('name'))")
    assert "新化县楚怡工业学校" in names and "楚怡文化传承基地" in names
    shots(browser, "01-opened")

    # A real click on a neighbour: its entity card, with the passages its relations were read from.
    _click_node(browser, "楚怡文化传承基地")
    browser.wait_for(
        "(c => c && c.textContent.includes('楚怡文化传承基地'))(document.querySelector('#graph-card .entity-card'))"
    )
    card = browser.evaluate("document.querySelector('#graph-card').textContent")
    assert "出处段落" in card and "楚怡职业教育文化馆" in card
    shots(browser, "02-node-card")

    # Expand it in place: its neighbours are added, everything shown before stays.
    click(browser, "#graph-card .expand-node")
    browser.wait_for(f"{CY}.nodes().length > {len(first)}")
    after = _node_ids(browser)
    assert set(first) <= set(after) and len(after) > len(first)
    assert "湖南工业职业技术学院" in browser.evaluate(f"{CY}.nodes().map(n => n.data('name'))")
    assert browser.evaluate(f"{CY}.nodes('.expanded').length") == 2
    # The layout keeps nodes apart: no two node centres closer than a node's size.
    closest = browser.evaluate(
        f"(() => {{ const ps = {CY}.nodes().map(n => n.position()); let m = Infinity;"
        " for (let i = 0; i < ps.length; i++) for (let j = i + 1; j < ps.length; j++)"
        " m = Math.min(m, Math.hypot(ps[i].x - ps[j].x, ps[i].y - ps[j].y)); return m; })()"
    )
    assert closest > 20, closest
    shots(browser, "03-expanded")

    # A real mouse wheel over the canvas zooms in, a real drag on its background pans; nothing is lost.
    before = browser.evaluate(f"{CY}.zoom()")
    x, y = browser.evaluate(
        "(r => [r.left + r.width - 40, r.top + 40])(document.querySelector('#cy').getBoundingClientRect())"
    )
    browser.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y})
    browser.send("Input.dispatchMouseEvent", {"type": "mouseWheel", "x": x, "y": y, "deltaX": 0, "deltaY": -300})
    browser.wait_for(f"{CY}.zoom() > {before}")
    pan = browser.evaluate(f"{CY}.pan()")
    assert browser.evaluate(f"document.elementFromPoint({x}, {y}).tagName") == "CANVAS"
    browser.send(
        "Input.dispatchMouseEvent",
        {"type": "mousePressed", "x": x, "y": y, "button": "left", "buttons": 1, "clickCount": 1},
    )
    for step in range(1, 6):
        move = {"type": "mouseMoved", "x": x - 20 * step, "y": y + 10 * step, "button": "left", "buttons": 1}
        browser.send("Input.dispatchMouseEvent", move)
    browser.send(
        "Input.dispatchMouseEvent",
        {"type": "mouseReleased", "x": x - 100, "y": y + 50, "button": "left", "clickCount": 1},
    )
    moved = browser.evaluate(f"{CY}.pan()")
    assert moved["x"] == pytest.approx(pan["x"] - 100, abs=2) and moved["y"] == pytest.approx(pan["y"] + 50, abs=2)
    assert browser.evaluate(f"{CY}.nodes().length") == len(after)
    browser.evaluate(f"void {CY}.fit(undefined, 30)")

    # Paths between two entities: listed in words and highlighted in the graph.
    set_value(browser, "#path-source", "湖南工业职业技术学院")
    set_value(browser, "#path-target", "新化县楚怡工业学校")
    browser.evaluate("document.querySelector('#path-form').requestSubmit()")
    browser.wait_for("document.querySelectorAll('#path-list li').length > 0")
    path = texts(browser, "#path-list li")[0]
    assert (
        path.startswith("2 步：湖南工业职业技术学院")
        and "楚怡文化传承基地" in path
        and path.endswith("新化县楚怡工业学校")
    )
    assert "承担" in path
    assert browser.evaluate(f"{CY}.edges('.path').length") >= 2
    assert browser.evaluate(f"{CY}.nodes('.path').length") == 3
    shots(browser, "04-path")

    # Every name and relation shown is Chinese and whole (no cut names).
    shown = browser.evaluate("window.chuyiGraph.shownLabels()")
    assert shown and not [t for t in shown if SCHEMA_WORDS.search(t)], shown
    assert not [t for t in shown if t.endswith("…")]
    relations = browser.evaluate(f"{CY}.edges().map(e => e.data('relation'))")
    assert "承担" in relations and "位于" in relations
