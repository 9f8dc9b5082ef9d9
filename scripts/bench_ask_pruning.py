"""Ask with and without the extractive answer's pruning (search_api.ask.extractive.winnable), in one
process on one store: each eval question asked both ways, the order alternating by round, the sentence
vector cache emptied before every ask (every candidate sentence is new: the worst case), and one hybrid
search timed after each pair (both see the same load). Prints the p50s, the sentences embedded, and how
many answers (text, mode, cited passages) were the same.

    PYTHONPATH=$PWD .venv/bin/python scripts/bench_ask_pruning.py STORE_DIR [ROUNDS]

STORE_DIR is an embedded store (bench_scale.py --keep, or eval_refusal.py --data).
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_corpus import ROOT, eval_items
from bench_scale import ask_service

from graph.factory import make_store
from ingest.embedding import make_embedder
from search_api.ask import extractive


def everything(
    bounds: np.ndarray,
    cached: np.ndarray,
    full: Callable[[np.ndarray], np.ndarray],
    embed: Callable[[list[int]], np.ndarray],
) -> np.ndarray:
    """The scoring before the pruning: every candidate embedded, in one call."""
    return full(embed(list(range(len(bounds)))))


def main() -> int:
    folder, rounds = Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 2
    store = make_store("embedded", data_dir=folder)
    store.start()
    model = make_embedder(str(ROOT / "models" / "bge-small-zh-v1.5"))
    model.start()
    embedded = [0]
    encode = model.embed_passages

    def counted(texts: list[str]) -> list[list[float]]:
        embedded[0] += len(texts)
        return encode(texts)

    model.embed_passages = counted  # type: ignore[method-assign]
    ask = ask_service(store, model)
    ask.gazetteer.refresh()
    search_items, ask_items = eval_items()
    questions = [item["q"] for item in ask_items + search_items]
    for q in questions[:3]:
        ask.ask(q)
    ways = {"full": everything, "pruned": extractive.winnable}
    ms: dict[str, list[float]] = {k: [] for k in ways}
    sentences = dict.fromkeys(ways, 0)
    search_ms: list[float] = []
    same = 0
    for r in range(rounds):
        for q in questions:
            answers = {}
            for name in ways if r % 2 == 0 else reversed(ways):
                extractive.winnable = ways[name]
                ask._extractive._vectors.clear()
                before, started = embedded[0], time.perf_counter()
                response = ask.ask(q)
                ms[name].append((time.perf_counter() - started) * 1000)
                sentences[name] += embedded[0] - before
                answers[name] = (response.answer, response.mode, [c.passage_id for c in response.citations])
            same += answers["full"] == answers["pruned"]
            started = time.perf_counter()
            ask._retriever.hybrid.retrieve(q, 10)
            search_ms.append((time.perf_counter() - started) * 1000)
    extractive.winnable = ways["pruned"]
    search = statistics.median(search_ms)
    asked = len(questions) * rounds
    print(f"{len(questions)} questions x {rounds}; same answers {same}/{asked}; search p50 {search:.1f} ms")
    for name in ways:
        p50 = statistics.median(ms[name])
        print(f"{name}: ask p50 {p50:.1f} ms ({p50 / search:.2f}x search), sentences embedded {sentences[name]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
