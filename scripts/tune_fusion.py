"""Measure retrieval variants on the dev questions and tune the fusion (prints a table, changes nothing).

    .venv/bin/python scripts/tune_fusion.py [--qa QA.json] [--extra tests/api/data/seed_extra_qa.json] [--grid]

Ingests the shipped corpus into a throw-away embedded store with the real model, then scores dense alone,
keyword alone, equal-weight RRF, the current defaults (search_api.hybrid.FusionConfig) and a grid of
weights and cut-offs: hits@5 (a gold string in a top-5 passage, whitespace removed) and MRR@10, on the
dev set and on our own paraphrase set (a check that what is tuned on dev generalises).
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.embedded import EmbeddedStore  # noqa: E402
from graph.models import PassageHit  # noqa: E402
from graph.text import search_tokens, tokenize  # noqa: E402
from ingest.embedding import SentenceTransformerEmbedder  # noqa: E402
from ingest.pipeline import IngestPipeline  # noqa: E402
from search_api.hybrid import FusionConfig, fuse  # noqa: E402


def _squash(text: str) -> str:
    return "".join(text.split())


def _rank(texts: list[str], gold: list[str]) -> int | None:
    for i, text in enumerate(texts, 1):
        if any(_squash(g) in _squash(text) for g in gold):
            return i
    return None


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--qa", default=str(ROOT.parent / "shared" / "eval" / "seed_dev_qa.json"))
    ap.add_argument("--extra", default=str(ROOT / "tests" / "api" / "data" / "seed_extra_qa.json"))
    ap.add_argument("--model", default=str(ROOT / "models" / "bge-small-zh-v1.5"))
    ap.add_argument("--corpus", default=str(ROOT / "corpora"))
    ap.add_argument("--grid", action="store_true", help="also print every grid point")
    ap.add_argument(
        "--words-only", action="store_true", help="keyword queries with tokenize() instead of search_tokens()"
    )
    args = ap.parse_args()

    sets = {"dev": json.loads(Path(args.qa).read_text("utf-8"))["search"]}
    if args.extra and Path(args.extra).exists():
        extra = json.loads(Path(args.extra).read_text("utf-8"))
        sets["extra"] = extra["search"]
        if extra.get("search_hard"):
            sets["hard"] = extra["search_hard"]

    store = EmbeddedStore(Path(tempfile.mkdtemp(prefix="chuyi-tune-")))
    store.start()
    embedder = SentenceTransformerEmbedder(args.model)
    embedder.start()
    IngestPipeline(store, embedder, max_file_bytes=10**8, progress=False).ingest_paths([Path(args.corpus)])
    print(f"passages: {store.stats().nodes.get('Passage', 0)}")

    depth = 50
    lists: dict[str, list[tuple[list[PassageHit], list[PassageHit], list[str]]]] = {}
    for name, items in sets.items():
        lists[name] = [
            (
                store.vector_search(embedder.embed_query(it["q"]), depth),
                store.keyword_search((tokenize if args.words_only else search_tokens)(it["q"]), depth),
                it["gold"],
            )
            for it in items
        ]

    def score(ranker: object) -> dict[str, tuple[int, int, float]]:
        out = {}
        for name, rows in lists.items():
            hits5 = hits1 = 0
            rr = 0.0
            for dense, keyword, gold in rows:
                texts = ranker(dense, keyword)  # type: ignore[operator]
                r = _rank(texts[:10], gold)
                hits5 += int(r is not None and r <= 5)
                hits1 += int(r == 1)
                rr += 1.0 / r if r else 0.0
            out[name] = (hits5, hits1, rr / len(rows))
        return out

    def fused(cfg: FusionConfig) -> object:
        return lambda d, k: [f.hit.passage.text for f in fuse(d, k, cfg)]

    def line(label: str, res: dict[str, tuple[int, int, float]]) -> str:
        cells = [f"{n}: hits@5 {h5}/{len(lists[n])} hits@1 {h1} MRR {m:.3f}" for n, (h5, h1, m) in res.items()]
        return f"{label:<44} " + " | ".join(cells)

    print(line("dense alone", score(lambda d, k: [h.passage.text for h in d])))
    print(line("keyword alone", score(lambda d, k: [h.passage.text for h in k])))
    equal = FusionConfig(dense_weight=1, keyword_weight=1, rrf_k=60, keyword_min_ratio=0)
    print(line("equal RRF (k=60, no cut-off)", score(fused(equal))))
    print(line(f"tuned defaults {FusionConfig().model_dump()}", score(fused(FusionConfig()))))

    grid = []
    weights, ks, cuts = (0.25, 0.5, 1.0, 2.0, 4.0), (5, 10, 20, 60), (0.0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9)
    for kw, k, cut in itertools.product(weights, ks, cuts):
        cfg = FusionConfig(dense_weight=1, keyword_weight=kw, rrf_k=k, keyword_min_ratio=cut)
        res = score(fused(cfg))
        others = [res[n][2] for n in res if n not in ("dev", "extra")]
        grid.append((res["dev"][0], res["dev"][2], res.get("extra", (0, 0, 0.0))[2], cfg, res, sum(others)))
    grid.sort(key=lambda g: (g[0], g[1] + g[2] + g[5]), reverse=True)
    print("best grid points (dev hits@5, then the sum of the MRRs):")
    for _, _, _, cfg, res, _ in grid[: 10 if not args.grid else len(grid)]:
        label = f"kw={cfg.keyword_weight} k={cfg.rrf_k} cut={cfg.keyword_min_ratio}"
        print("  " + line(label, res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
