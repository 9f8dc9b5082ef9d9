"""Load test: N clients sending a mix of searches and questions to a running service, for a fixed time.

    .venv/bin/python scripts/load.py http://127.0.0.1:8000 --clients 20 --seconds 60
    .venv/bin/python scripts/load.py http://127.0.0.1:8000 --clients 50 --seconds 30

Loopback only (a load test is not something to point at someone else's server), and bounded (at most
200 clients and 600 s). Each client loops: a search (2 of 3 requests) or a question (1 of 3), drawn
from the dev and our own question sets. Prints requests per second, latency percentiles (p50, p95,
p99, max) overall and per endpoint, and the errors: any status other than 200, and failed connections.
Exit code 1 when there were errors.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import random
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent
QUESTION_FILES = [
    ROOT.parent / "shared" / "eval" / "seed_dev_qa.json",
    ROOT / "tests" / "api" / "data" / "seed_extra_qa.json",
]
FALLBACK = ["楚怡文化传承基地又叫什么？", "给紧缺技能人才的住房优惠", "全省遴选建设的楚怡高水平高职院校有几所？"]
MAX_CLIENTS, MAX_SECONDS = 200, 600


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: {"search": [], "ask": []})
    errors: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            if error is not None:
                self.errors[error] = self.errors.get(error, 0) + 1


def _questions() -> tuple[list[str], list[str]]:
    searches, asks = [], []
    for path in QUESTION_FILES:
        if path.is_file():
            data = json.loads(path.read_text(encoding="utf-8"))
            searches += [item["q"] for key in ("search", "search_hard") for item in data.get(key, [])]
            asks += [item["q"] for item in data.get("ask", [])]
    return searches or FALLBACK, asks or FALLBACK


def _require_loopback(url: str) -> None:
    host = urlsplit(url).hostname or ""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise SystemExit(f"load.py: {url} is not a loopback address; it only loads this machine's own service")


def _client(url: str, deadline: float, tally: Tally, seed: int, searches: list[str], asks: list[str]) -> None:
    rng = random.Random(seed)
    with httpx.Client(base_url=url, timeout=60) as http:
        while time.monotonic() < deadline:
            kind = "ask" if rng.random() < 1 / 3 else "search"
            if kind == "ask":
                request = {"url": "/api/ask", "json": {"question": rng.choice(asks)}}
            else:
                request = {"url": "/api/search", "json": {"query": rng.choice(searches), "top_k": 5}}
            started = time.perf_counter()
            error = None
            try:
                r = http.post(**request)  # type: ignore[arg-type]
                if r.status_code != 200:
                    error = f"{kind}: HTTP {r.status_code}"
            except httpx.HTTPError as exc:
                error = f"{kind}: {type(exc).__name__}"
            tally.record(kind, time.perf_counter() - started, error)


def _percentiles(values: list[float]) -> str:
    if not values:
        return "no requests"
    ordered = sorted(values)
    q = statistics.quantiles(ordered, n=100, method="inclusive") if len(ordered) > 1 else [ordered[0]] * 99
    ms = lambda v: f"{v * 1000:.0f}"  # noqa: E731
    return f"p50 {ms(q[49])} ms · p95 {ms(q[94])} ms · p99 {ms(q[98])} ms · max {ms(ordered[-1])} ms"


def run(url: str, clients: int, seconds: float) -> int:
    _require_loopback(url)
    clients, seconds = min(clients, MAX_CLIENTS), min(seconds, MAX_SECONDS)
    httpx.get(url + "/healthz", timeout=30).raise_for_status()
    searches, asks = _questions()
    tally = Tally()
    deadline = time.monotonic() + seconds
    started = time.monotonic()
    threads = [
        threading.Thread(target=_client, args=(url, deadline, tally, i, searches, asks), daemon=True)
        for i in range(clients)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 120)
    elapsed = time.monotonic() - started
    every = [v for values in tally.latencies.values() for v in values]
    errors = sum(tally.errors.values())
    print(f"{clients} clients × {seconds:g} s against {url}: {len(every)} requests in {elapsed:.1f} s, "
          f"{len(every) / elapsed:.1f} req/s, {errors} errors")  # fmt: skip
    print(f"  all     {_percentiles(every)}")
    for kind, values in tally.latencies.items():
        print(f"  {kind:<7} {len(values)} requests · {_percentiles(values)}")
    for error, count in sorted(tally.errors.items()):
        print(f"  error   {error}: {count}")
    return 1 if errors else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", nargs="?", default="http://127.0.0.1:8000")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    sys.exit(run(args.url.rstrip("/"), args.clients, args.seconds))


if __name__ == "__main__":
    main()
