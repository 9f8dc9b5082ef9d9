"""The browser tests reuse the API fixtures: the seed in a store, and a live uvicorn serving it. Each
test's screenshots go to test-artifacts/browser/<test>/ (ignored by git; CHUYI_SCREENSHOT_DIR moves it)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.api.conftest import embedded_seed, live_server, neo4j_seed, services, store  # noqa: F401  (fixtures by name)
from tests.browser.cdp import Browser, chromium_binary
from tests.conftest import ROOT

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Callable[[Browser, str], Path]:
    """shots(browser, "01-answer") saves a screenshot of the page as it is now, and returns its path."""
    base = Path(os.environ.get("CHUYI_SCREENSHOT_DIR") or ROOT / "test-artifacts" / "browser")
    folder = base / re.sub(r"[^\w.-]+", "_", request.node.name)
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {folder}")

    def take(browser: Browser, name: str) -> Path:
        path = browser.screenshot(folder / f"{name}.png")
        data = path.read_bytes()
        assert data[:8] == PNG and len(data) > 10_000, f"{path} is not a real screenshot"
        return path

    return take


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
