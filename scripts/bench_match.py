"""p50/p95 of the three match calls over a warmed service, through HTTP (a benchmark, not a test).

Run against a service that holds the reference data (scripts/run, or `chuyi serve` over a data folder
that `chuyi ingest` filled with CHUYI_REFERENCE_DIR set):

    .venv/bin/python scripts/bench_match.py --url http://127.0.0.1:8000 --rounds 20

Each call is made once per query to warm the caches (name vectors, the chains' rankings the reverse
direction reads, passage evidence), then timed over `--rounds` rounds of every query.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
import urllib.request

SPECIALTIES = [
    {"industry": "工程机械", "level": "高职专科", "top_k": 10},
    {"industry": "新能源汽车", "level": "中职", "top_k": 10},
    {"industry": "现代种业与粮食生产", "level": "高职专科", "top_k": 10},
    {"industry": "无人机", "top_k": 10},
]
INDUSTRIES = [
    {"specialty": "液压与气动技术", "top_k": 20},
    {"specialty": "数控技术", "level": "高职专科", "top_k": 20},
    {"specialty": "护理", "top_k": 20},
]
GAPS = [
    {"chain": "工程机械", "school": "湖南工业职业技术学院", "offerings": ["机械制造及自动化", "数控技术"]},
    {"chain": "工程机械", "school": "新化县楚怡工业学校", "offerings": ["数控技术应用"]},
]
CALLS = {"specialties": SPECIALTIES, "industries": INDUSTRIES, "gaps": GAPS}


def post(url: str, body: dict[str, object]) -> float:
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=data, headers={"content-type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as r:
        r.read()
        if r.status != 200:
            raise RuntimeError(f"{url}: {r.status}")
    return (time.perf_counter() - started) * 1000


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    for call, bodies in CALLS.items():
        url = f"{args.url}/api/match/{call}"
        warm = [post(url, b) for b in bodies]
        times = [post(url, b) for _ in range(args.rounds) for b in bodies]
        print(
            f"{call:12s} n={len(times):4d}  p50 {statistics.median(times):7.1f} ms  "
            f"p95 {percentile(times, 0.95):7.1f} ms  (first, cold: {max(warm):.0f} ms)"
        )


if __name__ == "__main__":
    main()
