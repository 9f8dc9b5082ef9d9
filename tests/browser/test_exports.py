"""The page's downloads, in real headless Chromium against a live uvicorn (embedded store + seed): the search
results as CSV (导出 CSV beside the results) and the graph as GraphML and JSON (文件库 → 导出). Each is checked
twice: the file the browser saved, and the response to the very request the page sent, fetched again from
the page (the CSV's BOM and header, the GraphML root element, the JSON's nodes and edges)."""

from __future__ import annotations

import json
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from search_api.exports import CSV_COLUMNS
from tests.api.conftest import LiveServer
from tests.browser.cdp import Browser
from tests.browser.steps import click, open_page, set_value, texts

pytestmark = [pytest.mark.parametrize("store", ["embedded"], indirect=True), pytest.mark.slow]  # uvicorn + chromium
Shots = Callable[[Browser, str], Path]
GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"
BOM = "\ufeff"


def _saved(folder: Path, name: str, timeout: float = 30) -> Path:
    """The file the browser saved under `name` once it is complete (Chromium writes a .crdownload first)."""
    deadline = time.monotonic() + timeout
    path = folder / name
    while not (path.is_file() and path.stat().st_size > 0 and not list(folder.glob("*.crdownload"))):
        assert time.monotonic() < deadline, f"no download {name} in {folder}: {list(folder.iterdir())}"
        time.sleep(0.2)
    return path


def _request(browser: Browser, path: str) -> dict[str, Any]:
    """The last request the page sent to `path` (method, url, body) as the browser saw it."""
    browser.evaluate("1")  # a round trip reads the events queued before it
    sent = [
        e["params"]["request"]
        for e in browser.events
        if e["method"] == "Network.requestWillBeSent" and e["params"]["request"]["url"].split("?")[0].endswith(path)
    ]
    assert sent, f"the page sent no request to {path}"
    return dict(sent[-1])


def _refetch(browser: Browser, request: dict[str, Any]) -> dict[str, Any]:
    """The same request again from the page: status, headers, and the body's bytes as text (BOM kept)."""
    init = {"method": request["method"], "headers": {"Content-Type": "application/json"}}
    if request.get("postData"):
        init["body"] = request["postData"]
    return dict(
        browser.evaluate(
            f"""fetch({json.dumps(request["url"])}, {json.dumps(init)}).then(async r => ({{
            status: r.status, type: r.headers.get('Content-Type'), disposition: r.headers.get('Content-Disposition'),
            text: new TextDecoder('utf-8', {{ignoreBOM: true}}).decode(await r.arrayBuffer())}}))""",
            await_promise=True,
        )
    )


def test_the_search_csv_and_the_graph_downloads(
    live_server: LiveServer, browser: Browser, tmp_path: Path, shots: Shots
) -> None:
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser.send("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    browser.send("Network.enable")
    open_page(browser, live_server.url)

    # The search results beside the chat, then 导出 CSV: the same search as a file Excel reads.
    set_value(browser, "#search-query", "楚怡")
    click(browser, "#search-button")
    browser.wait_for("document.querySelectorAll('#results li').length > 0")
    shown = len(texts(browser, "#results li"))
    click(browser, "#export-csv")
    browser.wait_for("document.querySelector('#search-note').textContent.includes('已导出')")
    assert browser.evaluate("document.querySelector('#search-note').textContent") == "已导出 chuyi-search.csv"
    shots(browser, "01-search-csv")
    request = _request(browser, "/api/search/export")
    assert request["method"] == "POST" and json.loads(request["postData"]) == {"query": "楚怡", "top_k": 8}
    got = _refetch(browser, request)
    assert got["status"] == 200 and got["type"] == "text/csv; charset=utf-8"
    assert got["disposition"] == 'attachment; filename="chuyi-search.csv"'
    assert got["text"].startswith(BOM + ",".join(CSV_COLUMNS) + "\r\n"), got["text"][:200]
    saved = _saved(downloads, "chuyi-search.csv").read_bytes()
    assert saved.startswith(b"\xef\xbb\xbf" + ",".join(CSV_COLUMNS).encode() + b"\r\n")
    rows = saved.decode("utf-8-sig").splitlines()
    assert len(rows) == shown + 1 and rows[1].startswith("1,湖南省职业教育楚怡行动计划,"), rows[:2]

    # 文件库 → 导出: the graph as GraphML (Gephi, yEd) …
    click(browser, ".tab[data-view=library]")
    browser.wait_for("!document.querySelector('#view-library').hidden")
    click(browser, "#export-graphml")
    browser.wait_for("document.querySelector('#export-status').textContent.includes('chuyi-graph.graphml')")
    status = browser.evaluate("document.querySelector('#export-status').textContent")
    assert status.startswith("已导出 chuyi-graph.graphml（") and status.endswith(" KB）"), status
    shots(browser, "02-graphml")
    request = _request(browser, "/api/export/graph")
    assert request["method"] == "GET" and request["url"] == f"{live_server.url}/api/export/graph?format=graphml"
    got = _refetch(browser, request)
    assert got["status"] == 200 and got["type"] == "application/graphml+xml; charset=utf-8"
    root = browser.evaluate(
        f"""(() => {{ const d = new DOMParser().parseFromString({json.dumps(got["text"])}, 'application/xml');
        return [d.documentElement.localName, d.documentElement.namespaceURI,
                d.getElementsByTagName('node').length, d.getElementsByTagName('edge').length]; }})()"""
    )
    assert root[:2] == ["graphml", "http://graphml.graphdrawing.org/xmlns"] and root[2] > 10 and root[3] > 10, root
    tree = ET.parse(_saved(downloads, "chuyi-graph.graphml")).getroot()
    assert tree.tag == f"{GRAPHML}graphml" and len(tree.findall(f"{GRAPHML}graph/{GRAPHML}node")) == root[2]

    # … and as JSON ({nodes, edges}).
    click(browser, "#export-json")
    browser.wait_for("document.querySelector('#export-status').textContent.includes('chuyi-graph.json')")
    shots(browser, "03-json")
    request = _request(browser, "/api/export/graph")
    assert request["url"] == f"{live_server.url}/api/export/graph?format=json"
    got = _refetch(browser, request)
    assert got["status"] == 200 and got["type"] == "application/json; charset=utf-8"
    graph = json.loads(got["text"])
    assert len(graph["nodes"]) == root[2] and len(graph["edges"]) == root[3]
    assert any(n["properties"].get("name") == "新化县楚怡工业学校" for n in graph["nodes"])
    assert json.loads(_saved(downloads, "chuyi-graph.json").read_text(encoding="utf-8")) == graph
