"""Measure search and ask quality on the dev questions through a RUNNING API.

    .venv/bin/python scripts/eval_dev.py http://127.0.0.1:8000 [--qa ../shared/eval/seed_dev_qa.json]
        [--modes hybrid,dense,keyword] [--min-search 9] [--min-ask 5] [--json] [--quiet]

search: a hit when one of the top-5 passages of POST /api/search contains a gold string (whitespace
removed on both sides). ask: a hit when the answer of POST /api/ask contains every 'must' string (as
written) and cites at least one passage. Prints one line per question and the totals; exits 1 when a
total is under its --min-* threshold. Standard library only, so it runs against any deployment.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

DEFAULT_QA = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "seed_dev_qa.json"


def post(base: str, path: str, body: dict[str, Any], timeout: float) -> dict[str, Any]:
    request = urllib.request.Request(
        base.rstrip("/") + path,
        data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            result: dict[str, Any] = json.loads(response.read())
            return result
    except urllib.error.HTTPError as exc:
        raise SystemExit(f"eval: {path} answered {exc.code}: {exc.read().decode('utf-8', 'replace')}") from exc
    except urllib.error.URLError as exc:
        raise SystemExit(f"eval: cannot reach {base}: {exc.reason}") from exc


def squash(text: str) -> str:
    return "".join(text.split())


def eval_search(base: str, items: list[dict[str, Any]], mode: str, timeout: float, quiet: bool) -> int:
    hits = 0
    for item in items:
        body = post(base, "/api/search", {"query": item["q"], "top_k": 5, "mode": mode}, timeout)
        texts = [squash(r["text"]) for r in body["results"][:5]]
        rank = next((i for i, t in enumerate(texts, 1) if any(squash(g) in t for g in item["gold"])), None)
        hits += rank is not None
        if not quiet:
            print(f"  search[{mode}] {item['id']} {'HIT ' if rank else 'MISS'} rank={rank} {item['q']}")
    return hits


def eval_ask(base: str, items: list[dict[str, Any]], timeout: float, quiet: bool) -> int:
    hits = 0
    for item in items:
        body = post(base, "/api/ask", {"question": item["q"]}, timeout)
        missing = [m for m in item["must"] if m not in body["answer"]]
        ok = not missing and len(body["citations"]) >= 1
        hits += ok
        if not quiet:
            why = f" missing={missing}" if missing else "" if body["citations"] else " no citation"
            print(f"  ask {item['id']} {'HIT ' if ok else 'MISS'} [{body.get('intent')}/{body.get('mode')}]{why}")
            print(f"      Q: {item['q']}\n      A: {body['answer']}")
    return hits


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("base_url", help="e.g. http://127.0.0.1:8000")
    ap.add_argument("--qa", default=str(DEFAULT_QA), help="questions file (search + ask lists)")
    ap.add_argument("--modes", default="hybrid", help="search modes to measure, comma-separated")
    ap.add_argument("--min-search", type=int, default=None, help="exit 1 when hybrid search hits are fewer")
    ap.add_argument("--min-ask", type=int, default=None, help="exit 1 when ask hits are fewer")
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--json", action="store_true", help="print the totals as one JSON object at the end")
    ap.add_argument("--quiet", action="store_true", help="totals only")
    args = ap.parse_args(argv)

    qa = json.loads(Path(args.qa).read_text(encoding="utf-8"))
    searches, asks = qa.get("search", []), qa.get("ask", [])
    totals: dict[str, Any] = {"search": {}, "search_total": len(searches), "ask_total": len(asks)}
    for mode in [m.strip() for m in args.modes.split(",") if m.strip()]:
        hits = eval_search(args.base_url, searches, mode, args.timeout, args.quiet)
        totals["search"][mode] = hits
        print(f"search hits@5 [{mode}]: {hits}/{len(searches)}")
    totals["ask"] = eval_ask(args.base_url, asks, args.timeout, args.quiet)
    print(f"ask hits: {totals['ask']}/{len(asks)}")
    if args.json:
        print(json.dumps(totals, ensure_ascii=False))
    failed = False
    search_hits = totals["search"].get("hybrid", max(totals["search"].values(), default=0))
    if args.min_search is not None and search_hits < args.min_search:
        print(f"eval: search hits {search_hits} < {args.min_search}", file=sys.stderr)
        failed = True
    if args.min_ask is not None and totals["ask"] < args.min_ask:
        print(f"eval: ask hits {totals['ask']} < {args.min_ask}", file=sys.stderr)
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
