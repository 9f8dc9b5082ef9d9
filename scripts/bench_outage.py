"""Time to 503 and time to recover, through a live API, while Neo4j goes down and comes back (issue 12's target:
503 within 3 s of Neo4j going down, recovery without restarting the API).

Starts its own Neo4j (scripts/neo4j-start PORT DATA_DIR), ingests the shipped corpus into it with `chuyi
ingest`, serves the API with uvicorn, then, a few times over:
  * stops Neo4j and times the first /api/search after it is gone (time to 503) and the next one;
  * starts Neo4j on the same data folder and times from its READY to the first 200 (time to recover);
  * with --empty, also restarts it on a new, empty data folder and times the first 200 (the schema made again).
Prints the median and the range of each. Loopback only; everything it starts it stops.

    .venv/bin/python scripts/bench_outage.py --neo4j-port 7723 --tries 5 [--empty]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
QUERY = {"query": "楚怡文化传承基地", "top_k": 5}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Outage:
    def __init__(self, neo4j_port: int, work: Path) -> None:
        self.neo4j_port = neo4j_port
        self.uri = f"bolt://127.0.0.1:{neo4j_port}"
        self.work = work
        self._neo4j_env = {**os.environ, "NEO4J_RUN_DIR": str(work / "neo4j-run")}
        self.api: subprocess.Popen[bytes] | None = None
        self.url = ""

    def neo4j_start(self, data: Path) -> None:
        subprocess.run(["bash", str(ROOT / "scripts/neo4j-start"), str(self.neo4j_port), str(data)],
                       env=self._neo4j_env, check=True, capture_output=True)  # fmt: skip

    def neo4j_stop(self) -> None:
        subprocess.run(["bash", str(ROOT / "scripts/neo4j-stop"), str(self.neo4j_port)],
                       env=self._neo4j_env, check=True, capture_output=True)  # fmt: skip

    def service_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CHUYI_")}
        env.update(CHUYI_STORE="neo4j", CHUYI_NEO4J_URI=self.uri, CHUYI_DATA_DIR=str(self.work / "api-data"),
                   CHUYI_CORPUS_DIR=str(ROOT / "corpora"), PYTHONPATH=str(ROOT))  # fmt: skip
        return env

    def ingest(self) -> None:
        subprocess.run([sys.executable, "-m", "search_api.cli", "ingest", "--quiet", str(ROOT / "corpora/policies")],
                       cwd=ROOT, env=self.service_env(), check=True)  # fmt: skip

    def serve(self) -> None:
        port = _free_port()
        self.url = f"http://127.0.0.1:{port}"
        cmd = [sys.executable, "-m", "uvicorn", "--factory", "search_api.app:create_app", "--host", "127.0.0.1",
               "--port", str(port), "--log-level", "error"]  # fmt: skip
        log = (self.work / "uvicorn.log").open("wb")
        self.api = subprocess.Popen(cmd, cwd=ROOT, env=self.service_env(), stdout=log, stderr=subprocess.STDOUT)
        if self.until_status(200, timeout=300) is None:
            raise SystemExit(f"the API did not answer; see {self.work / 'uvicorn.log'}")

    def search(self) -> tuple[int, float]:
        started = time.monotonic()
        try:
            status = httpx.post(self.url + "/api/search", json=QUERY, timeout=120).status_code
        except httpx.TransportError:
            status = 0
        return status, time.monotonic() - started

    def until_status(self, wanted: int, timeout: float) -> float | None:
        """Seconds until /api/search answers `wanted` (polling every 0.1 s); None on timeout. A 500 on the way
        is reported: recovery must never pass through one."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            status, _ = self.search()
            if status == wanted:
                return time.monotonic() - started
            if status >= 500 and status != 503:
                print(f"  !! {status} while waiting for {wanted}", flush=True)
            time.sleep(0.1)
        return None

    def close(self) -> None:
        if self.api is not None:
            self.api.terminate()
            self.api.wait(timeout=30)
        self.neo4j_stop()


def _seconds(value: float | None) -> str:
    return "no answer" if value is None else f"{value:.2f} s"


def _summary(name: str, values: list[float]) -> str:
    if not values:
        return f"{name:<38} no measurement"
    return (f"{name:<38} median {statistics.median(values):6.2f} s   min {min(values):6.2f}   "
            f"max {max(values):6.2f}   (n={len(values)})")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--neo4j-port", type=int, default=7723)
    parser.add_argument("--tries", type=int, default=5)
    parser.add_argument("--empty", action="store_true", help="also time recovery onto an empty database")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-outage-"))
    outage = Outage(args.neo4j_port, work)
    data = work / "neo4j-data"
    first_503: list[float] = []
    next_503: list[float] = []
    recover: list[float] = []
    recover_empty: list[float] = []
    try:
        outage.neo4j_start(data)
        outage.ingest()
        outage.serve()
        for attempt in range(args.tries):
            outage.neo4j_stop()
            status, took = outage.search()
            again, took_again = outage.search()
            print(f"try {attempt + 1}: down -> {status} in {took:.2f} s, then {again} in {took_again:.2f} s",
                  flush=True)  # fmt: skip
            if status == 503:
                first_503.append(took)
            if again == 503:
                next_503.append(took_again)
            outage.neo4j_start(data)
            back = outage.until_status(200, timeout=120)
            print(f"         back (same data) -> 200 after {_seconds(back)}", flush=True)
            if back is not None:
                recover.append(back)
            if args.empty:
                outage.neo4j_stop()
                outage.neo4j_start(work / f"empty-{attempt}")
                back = outage.until_status(200, timeout=300)
                print(f"         back (empty) -> 200 after {_seconds(back)}", flush=True)
                if back is not None:
                    recover_empty.append(back)
                outage.neo4j_stop()
                outage.neo4j_start(data)
                outage.until_status(200, timeout=300)
    finally:
        outage.close()
        shutil.rmtree(work, ignore_errors=True)
    print(_summary("first request after the stop -> 503", first_503))
    print(_summary("next request -> 503", next_503))
    print(_summary("Neo4j READY -> first 200 (same data)", recover))
    if args.empty:
        print(_summary("Neo4j READY -> first 200 (empty)", recover_empty))
    return 0


if __name__ == "__main__":
    sys.exit(main())
