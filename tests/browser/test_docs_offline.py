"""/docs and /redoc work offline: their scripts and styles come from npm packages the app serves, and the
browser (with no name resolution but 127.0.0.1) fetches nothing from anywhere else (ReDoc's sidebar logo,
which its bundle always asks its CDN for, is stopped in the browser by the pages' Content-Security-Policy)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.api.conftest import LiveServer
from tests.browser.cdp import Browser

pytestmark = [pytest.mark.parametrize("store", ["embedded"], indirect=True), pytest.mark.slow]
Shots = Callable[[Browser, str], Path]


def test_docs_and_redoc_load_without_network(live_server: LiveServer, browser: Browser, shots: Shots) -> None:
    browser.send("Network.enable")
    browser.navigate(live_server.url + "/docs")
    browser.wait_for("document.querySelectorAll('.swagger-ui .opblock').length > 10", 60)
    assert "/api/ask" in browser.evaluate("document.querySelector('.swagger-ui').textContent")
    shots(browser, "01-swagger")
    browser.navigate(live_server.url + "/redoc")
    browser.wait_for("document.querySelectorAll('[data-section-id]').length > 10", 60)
    assert "Upload a policy document" in browser.evaluate("document.body.textContent")
    shots(browser, "02-redoc")

    urls = browser.requested_urls()
    assert any(u.endswith("/vendor/swagger-ui/swagger-ui-bundle.js") for u in urls), urls
    assert any(u.endswith("/vendor/redoc/redoc.standalone.js") for u in urls), urls
    elsewhere = [u for u in urls if not u.startswith(live_server.url) and not u.startswith(("data:", "blob:"))]
    assert not elsewhere, elsewhere


def test_the_page_requests_only_the_app(live_server: LiveServer, browser: Browser) -> None:
    browser.send("Network.enable")
    browser.navigate(live_server.url + "/#graph")
    browser.wait_for("typeof window.cytoscape === 'function' && window.chuyiGraph !== undefined")
    urls = browser.requested_urls()
    assert any(u.endswith("/vendor/cytoscape/cytoscape.min.js") for u in urls), urls
    assert any(u.endswith("/vendor/cytoscape-fcose/cytoscape-fcose.js") for u in urls), urls
    assert not [u for u in urls if not u.startswith(live_server.url) and not u.startswith(("data:", "blob:"))]
