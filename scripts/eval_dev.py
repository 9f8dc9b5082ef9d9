"""Measure search and ask quality on the dev questions through a RUNNING API.

    .venv/bin/python scripts/eval_dev.py http://127.0.0.1:8000 [--qa ../shared/eval/seed_dev_qa.json]
        [--modes hybrid,dense,keyword] [--min-search 9] [--min-ask 5] [--min-refused 6] [--json] [--quiet]

Reads both question files: seed_dev_qa.json (search + ask) and library_dev.json (search items with an
optional `doc`, ask items, unanswerable items).

search: a hit when one of the top-5 passages of POST /api/search contains a gold string (whitespace
removed on both sides) and, when the item gives `doc`, comes from a document whose title or file name
contains it; hits@1, hits@5 and MRR@10 per mode. ask: a hit when the answer of POST /api/ask contains
every 'must' string (as written) and cites at least one passage. unanswerable: a hit when /api/ask answers
mode "none". Refusal precision = refused unanswerable / all refused (ask items refused count against
it); recall = refused unanswerable / all unanswerable. Prints one line per question and the totals;
exits 1 when a total is under its --min-* threshold. Standard library only, so it runs against any
deployment.
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
DEPTH = 10  # passages read per search: hits@5 and MRR@10


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


def _rank(item: dict[str, Any], results: list[dict[str, Any]]) -> int | None:
    for i, r in enumerate(results[:DEPTH], 1):
        doc = r.get("document", {})
        where = f"{doc.get('title', '')} {doc.get('source', '')}"
        if any(squash(g) in squash(r["text"]) for g in item["gold"]) and (not item.get("doc") or item["doc"] in where):
            return i
    return None


def eval_search(base: str, items: list[dict[str, Any]], mode: str, timeout: float, quiet: bool) -> dict[str, Any]:
    hits1 = hits5 = 0
    rr = 0.0
    for item in items:
        body = post(base, "/api/search", {"query": item["q"], "top_k": DEPTH, "mode": mode}, timeout)
        rank = _rank(item, body["results"])
        hits5 += rank is not None and rank <= 5
        hits1 += rank == 1
        rr += 1.0 / rank if rank else 0.0
        if not quiet:
            ok = "HIT " if rank and rank <= 5 else "MISS"
            print(f"  search[{mode}] {item['id']} {ok} rank={rank} {item['q']}")
    return {"hits5": hits5, "hits1": hits1, "mrr": round(rr / len(items), 3) if items else 0.0}


def eval_ask(base: str, items: list[dict[str, Any]], timeout: float, quiet: bool) -> tuple[int, int]:
    """(hits, refused): answers that hold every must string and cite, and answers that said none."""
    hits = refused = 0
    for item in items:
        body = post(base, "/api/ask", {"question": item["q"]}, timeout)
        missing = [m for m in item["must"] if m not in body["answer"]]
        ok = not missing and len(body["citations"]) >= 1
        hits += ok
        refused += body.get("mode") == "none"
        if not quiet:
            why = f" missing={missing}" if missing else "" if body["citations"] else " no citation"
            print(f"  ask {item['id']} {'HIT ' if ok else 'MISS'} [{body.get('intent')}/{body.get('mode')}]{why}")
            print(f"      Q: {item['q']}\n      A: {body['answer']}")
    return hits, refused


def eval_unanswerable(base: str, items: list[dict[str, Any]], timeout: float, quiet: bool) -> int:
    refused = 0
    for item in items:
        body = post(base, "/api/ask", {"question": item["q"]}, timeout)
        ok = body.get("mode") == "none"
        refused += ok
        if not quiet:
            print(f"  unanswerable {item['id']} {'REFUSED ' if ok else 'ANSWERED'} [{body.get('mode')}] {item['q']}")
            if not ok:
                print(f"      A: {body['answer']}")
    return refused


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("base_url", help="e.g. http://127.0.0.1:8000")
    ap.add_argument("--qa", default=str(DEFAULT_QA), help="questions file (search, ask and unanswerable lists)")
    ap.add_argument("--modes", default="hybrid", help="search modes to measure, comma-separated")
    ap.add_argument("--min-search", type=int, default=None, help="exit 1 when hybrid search hits@5 are fewer")
    ap.add_argument("--min-ask", type=int, default=None, help="exit 1 when ask hits are fewer")
    ap.add_argument("--min-refused", type=int, default=None, help="exit 1 when fewer unanswerable are refused")
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--json", action="store_true", help="print the totals as one JSON object at the end")
    ap.add_argument("--quiet", action="store_true", help="totals only")
    args = ap.parse_args(argv)

    qa = json.loads(Path(args.qa).read_text(encoding="utf-8"))
    searches, asks, unanswerable = qa.get("search", []), qa.get("ask", []), qa.get("unanswerable", [])
    totals: dict[str, Any] = {
        "search": {}, "search_at1": {}, "mrr": {}, "search_total": len(searches),
        "ask_total": len(asks), "unanswerable_total": len(unanswerable),
    }  # fmt: skip
    for mode in [m.strip() for m in args.modes.split(",") if m.strip()]:
        scores = eval_search(args.base_url, searches, mode, args.timeout, args.quiet)
        totals["search"][mode], totals["search_at1"][mode], totals["mrr"][mode] = (
            scores["hits5"], scores["hits1"], scores["mrr"],
        )  # fmt: skip
        print(
            f"search [{mode}]: hits@1 {scores['hits1']}/{len(searches)} · hits@5 {scores['hits5']}/{len(searches)}"
            f" · MRR {scores['mrr']:.3f}"
        )
        print(f"search hits@5 [{mode}]: {scores['hits5']}/{len(searches)}")
    totals["ask"], wrongly_refused = eval_ask(args.base_url, asks, args.timeout, args.quiet)
    print(f"ask hits: {totals['ask']}/{len(asks)}")
    if unanswerable:
        refused = eval_unanswerable(args.base_url, unanswerable, args.timeout, args.quiet)
        all_refused = refused + wrongly_refused
        totals.update(
            refused=refused,
            answerable_refused=wrongly_refused,
            refusal_precision=round(refused / all_refused, 3) if all_refused else 1.0,
            refusal_recall=round(refused / len(unanswerable), 3),
        )
        print(
            f"unanswerable refused: {refused}/{len(unanswerable)} · answerable refused: {wrongly_refused}/{len(asks)}"
            f" · refusal precision {totals['refusal_precision']:.3f} · recall {totals['refusal_recall']:.3f}"
        )
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
    if args.min_refused is not None and totals.get("refused", 0) < args.min_refused:
        print(f"eval: refused {totals.get('refused', 0)} < {args.min_refused}", file=sys.stderr)
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
