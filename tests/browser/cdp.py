"""A small Chrome DevTools Protocol client: drives real headless Chromium over a websocket."""

from __future__ import annotations

import base64
import contextlib
import json
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

from websockets.sync.client import ClientConnection, connect

CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--remote-debugging-port=0",
    # No network but this machine: every page must work offline (its requests go to the app only).
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


def chromium_binary() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


class Browser:
    def __init__(self, binary: str, profile_dir: Path, width: int = 1366, height: int = 900) -> None:
        self._binary = binary
        self._profile = profile_dir
        self._size = (width, height)
        self._proc: subprocess.Popen[bytes] | None = None
        self._ws: ClientConnection | None = None
        self._next_id = 0
        self._stack = contextlib.ExitStack()
        self.events: list[dict[str, Any]] = []  # protocol events received while waiting for results

    def start(self, timeout: float = 30.0) -> None:
        self._profile.mkdir(parents=True, exist_ok=True)
        args = [
            self._binary,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={self._profile}",
            f"--window-size={self._size[0]},{self._size[1]}",
            "about:blank",
        ]
        self._proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = self._profile / "DevToolsActivePort"
        deadline = time.monotonic() + timeout
        while not port_file.exists() or not port_file.read_text().strip():
            if self._proc.poll() is not None:
                raise RuntimeError(f"chromium exited with {self._proc.returncode}")
            if time.monotonic() > deadline:
                raise TimeoutError("chromium did not open its DevTools port")
            time.sleep(0.1)
        port = int(port_file.read_text().splitlines()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as resp:
            targets = json.loads(resp.read())
        page = next(t for t in targets if t.get("type") == "page")
        self._ws = self._stack.enter_context(connect(page["webSocketDebuggerUrl"], max_size=None, open_timeout=10))
        self.send("Page.enable")
        self.send("Runtime.enable")

    def send(self, method: str, params: dict[str, Any] | None = None, timeout: float = 30.0) -> dict[str, Any]:
        """Send one command and wait for its result (events in between are dropped)."""
        assert self._ws is not None, "browser not started"
        self._next_id += 1
        call_id = self._next_id
        self._ws.send(json.dumps({"id": call_id, "method": method, "params": params or {}}))
        deadline = time.monotonic() + timeout
        while True:
            message = json.loads(self._ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            if message.get("id") == call_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result
            if "method" in message and message["method"].startswith("Network."):
                self.events.append(message)

    def evaluate(self, expression: str, await_promise: bool = False) -> Any:
        result = self.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": await_promise},
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"page error: {result['exceptionDetails']}")
        return result.get("result", {}).get("value")

    def navigate(self, url: str, timeout: float = 30.0) -> None:
        self.send("Page.navigate", {"url": url})
        self.wait_for("document.readyState === 'complete' && location.href.startsWith('http')", timeout)

    def reload(self, timeout: float = 30.0) -> None:
        """Load the page again (a real reload: what the page kept must come from storage)."""
        self.evaluate("window.__before_reload = true")
        self.send("Page.reload", {"ignoreCache": True})
        self.wait_for("!window.__before_reload && document.readyState === 'complete'", timeout)

    def wait_for(self, expression: str, timeout: float = 60.0) -> Any:
        """Poll a JS expression until it is truthy; returns its value."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"timed out waiting for: {expression}")
            time.sleep(0.2)

    def requested_urls(self) -> list[str]:
        """The URLs the page fetched since Network.enable (as far as events were read); requests the
        browser blocked itself (a Content-Security-Policy) never left it and are not listed."""
        self.evaluate("1")  # a round trip reads the events queued before it
        blocked = {
            e["params"]["requestId"]
            for e in self.events
            if e["method"] == "Network.loadingFailed" and e["params"].get("blockedReason")
        }
        return [
            e["params"]["request"]["url"]
            for e in self.events
            if e["method"] == "Network.requestWillBeSent" and e["params"]["requestId"] not in blocked
        ]

    def phone(self, width: int = 390, height: int = 844) -> None:
        """Emulate a phone's screen (touch, mobile viewport)."""
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 2, "mobile": True},
        )
        self.send("Emulation.setTouchEmulationEnabled", {"enabled": True})

    def color_scheme(self, scheme: str) -> None:
        """Emulate prefers-color-scheme: light or dark."""
        self.send("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]})

    def click_at(self, x: float, y: float, count: int = 1) -> None:
        """A real mouse click (press and release) at page coordinates; count=2 for a double click."""
        for n in range(1, count + 1):
            for kind in ("mousePressed", "mouseReleased"):
                self.send(
                    "Input.dispatchMouseEvent",
                    {"type": kind, "x": x, "y": y, "button": "left", "buttons": 1, "clickCount": n},
                )

    def choose_file(self, selector: str, path: Path) -> None:
        root = self.send("DOM.getDocument")["root"]["nodeId"]
        node = self.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        self.send("DOM.setFileInputFiles", {"nodeId": node, "files": [str(path)]})

    def screenshot(self, path: Path) -> Path:
        data = self.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": False})["data"]
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        if self._ws is not None:
            # The browser may already be gone; closing must not fail the test.
            with contextlib.suppress(Exception):
                self._ws.send(json.dumps({"id": 0, "method": "Browser.close"}))
            self._stack.close()
            self._ws = None
        if self._proc is not None:
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
            self._proc = None
