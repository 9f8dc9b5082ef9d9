"""Our Neo4j search next to neo4j-graphrag's retrievers on the same database, the same model, the same run.

    .venv/bin/python scripts/bench_peer.py --neo4j-uri bolt://127.0.0.1:17696 --reset [--rounds 5]
    .venv/bin/python scripts/bench_peer.py --neo4j-uri bolt://127.0.0.1:17696 --reuse   # after a server restart

--reuse measures the data an earlier run ingested, as it is served after the server was restarted on it
(scripts/neo4j-start PORT DATA_DIR, stop, start): right after the ingest, in the server that wrote it,
db.index.vector.queryNodes costs about 0.2 ms more for each row asked for (70 rows: about 20 ms, against
4 ms once restarted; docs/benchmarks.md), which weighs on whatever asks for more rows.

Ingests corpora/policies (the seed) and the 22 laws of ../shared/data/lawrefbook-laws into that Neo4j
through our pipeline (real model; passage vectors cached as in scripts/bench_scale.py), then asks every
search question of ../shared/eval/*.json of each system, round-robin question by question, `--rounds`
times: our HybridRetriever (search_api/hybrid.py: dense + jieba keyword index, fused), our dense and keyword
halves (and, for comparison only, our fusion reading 20 or 5 candidates from each list instead of 50),
and neo4j-graphrag's VectorRetriever and HybridRetriever (naive and linear rankers) over our
passage_embedding and passage_text indexes, with our embedder behind their Embedder interface. Every
system embeds its query itself; top 5 each.

hits@5 as ../shared/eval says: a hit when one of the top-5 passages contains a gold string (whitespace
removed on both sides) and, where the item names a `doc`, comes from a document whose title or file name
contains it. Prints a table to stderr and, last, one JSON line.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from neo4j import GraphDatabase
from neo4j_graphrag.embeddings import Embedder as GraphragEmbedder
from neo4j_graphrag.retrievers import HybridRetriever as GraphragHybrid
from neo4j_graphrag.retrievers import VectorRetriever as GraphragVector

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_corpus import DEFAULT_CACHE, DEFAULT_LAWS, ROOT, BenchEmbedder, VectorCache, eval_items

from graph import cypher
from graph.models import Document
from graph.neo4j_store import Neo4jStore
from ingest.embedding import Embedder, make_embedder
from ingest.pipeline import IngestPipeline
from search_api.hybrid import FusionConfig, HybridRetriever

DEFAULT_MODEL = ROOT / "models" / "bge-small-zh-v1.5"
TOP_K = 5


class OurEmbedder(GraphragEmbedder):
    """Our model behind neo4j-graphrag's Embedder interface."""

    def __init__(self, inner: Embedder) -> None:
        super().__init__()
        self._inner = inner

    def embed_query(self, text: str) -> list[float]:
        return self._inner.embed_query(text)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def squash(text: str) -> str:
    return "".join(text.split())


def is_hit(item: dict[str, Any], hits: list[tuple[str, str]], docs: dict[str, Document]) -> bool:
    """hits: (text, doc_id) of the top passages, best first."""
    gold = [squash(g) for g in item["gold"]]
    for text, doc_id in hits[:TOP_K]:
        doc = docs.get(doc_id)
        if item.get("doc") and (doc is None or (item["doc"] not in doc.title and item["doc"] not in doc.source)):
            continue
        if any(g in squash(text) for g in gold):
            return True
    return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--neo4j-uri", required=True)
    parser.add_argument("--neo4j-user", default="neo4j")
    parser.add_argument("--neo4j-password", default="neo4j")
    parser.add_argument("--reset", action="store_true", help="empty the database first (required if not empty)")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep what the database holds (an earlier run's ingest): only documents it lacks are ingested",
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--laws", type=Path, default=DEFAULT_LAWS)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    args = parser.parse_args()
    auth = (args.neo4j_user, args.neo4j_password)

    with GraphDatabase.driver(args.neo4j_uri, auth=auth) as driver, driver.session() as session:
        if session.run(cypher.ANY_NODE).single(strict=True)["found"] and not args.reuse:
            if not args.reset:
                raise SystemExit("bench: the database is not empty; pass --reset to empty it (or --reuse)")
            session.run(cypher.DELETE_EVERYTHING).consume()

    model = make_embedder(str(args.model), query_threads=1)
    model.start()
    cache = VectorCache(args.cache / args.model.name, model.dimension)
    cache.load()
    store = Neo4jStore(args.neo4j_uri, *auth)
    store.start()
    pipeline = IngestPipeline(
        store,
        BenchEmbedder(model, cache, synthetic=False, floor_file=None),
        max_file_bytes=20 * 2**20,
        progress=True,
        knowledge_dir=ROOT / "corpora" / "knowledge",
    )
    laws = sorted(p for p in args.laws.rglob("*.md") if p.name != "SOURCES.md")  # the 22 laws, not their notes
    summary = pipeline.ingest_paths([ROOT / "corpora" / "policies", *laws])
    if not summary.ok:
        raise SystemExit(f"bench: ingest failed: {summary.errors}")
    docs = {d.id: d for d in store.list_documents()}
    passages = store.stats().nodes.get("Passage", 0)
    log(f"bench: {len(docs)} documents, {passages} passages")

    ours = HybridRetriever(store, model)
    driver = GraphDatabase.driver(args.neo4j_uri, auth=auth)
    theirs_embedder = OurEmbedder(model)
    fields = ["id", "text", "doc_id"]
    g_vector = GraphragVector(driver, cypher.VECTOR_INDEX, theirs_embedder, return_properties=fields)
    g_hybrid = GraphragHybrid(driver, cypher.VECTOR_INDEX, cypher.TEXT_INDEX, theirs_embedder, return_properties=fields)

    def ours_mode(mode: str, candidates: int | None = None) -> Callable[[str], list[tuple[str, str]]]:
        config = None if candidates is None else FusionConfig(candidates=candidates)

        def search(q: str) -> list[tuple[str, str]]:
            fused = ours.retrieve(q, TOP_K, mode=mode, config=config)  # type: ignore[arg-type]
            return [(f.hit.passage.text, f.hit.passage.doc_id) for f in fused[:TOP_K]]

        return search

    def graphrag(retriever: Any, **options: Any) -> Callable[[str], list[tuple[str, str]]]:
        def search(q: str) -> list[tuple[str, str]]:
            records = retriever.get_search_results(query_text=q, top_k=TOP_K, **options).records
            return [(r["node"]["text"], r["node"]["doc_id"]) for r in records]

        return search

    systems: dict[str, Callable[[str], list[tuple[str, str]]]] = {
        "ours_hybrid": ours_mode("hybrid"),
        "ours_dense": ours_mode("dense"),
        "ours_keyword": ours_mode("keyword"),
        # Not the service's setting (it reads 50 from each list, search_api/hybrid.py): how latency and
        # hits@5 move with that depth, the one thing our search asks of the indexes that theirs does not.
        "ours_hybrid_depth20": ours_mode("hybrid", 20),
        "ours_hybrid_depth5": ours_mode("hybrid", 5),
        "graphrag_vector": graphrag(g_vector),
        "graphrag_hybrid": graphrag(g_hybrid),
        "graphrag_hybrid_linear": graphrag(g_hybrid, ranker="linear", alpha=0.5),
    }
    items, _ = eval_items()
    for search in systems.values():  # warm-up: plans compiled, caches filled
        for item in items[:3]:
            search(item["q"])
    times: dict[str, list[float]] = {name: [] for name in systems}
    hits: dict[str, int] = dict.fromkeys(systems, 0)
    for round_ in range(args.rounds):
        for item in items:
            for name, search in systems.items():
                started = time.perf_counter()
                found = search(item["q"])
                times[name].append((time.perf_counter() - started) * 1000)
                if round_ == 0:
                    hits[name] += is_hit(item, found, docs)
    driver.close()
    store.close()

    result: dict[str, Any] = {"documents": len(docs), "passages": passages, "questions": len(items)}
    log(f"{'system':<24} {'p50 ms':>8} {'p95 ms':>8} {'hits@5':>8}")
    for name in systems:
        ms = sorted(times[name])
        p50, p95 = statistics.median(ms), ms[max(0, int(len(ms) * 0.95 + 0.5) - 1)]
        result[name] = {"p50_ms": round(p50, 2), "p95_ms": round(p95, 2), "hits5": hits[name]}
        log(f"{name:<24} {p50:>8.2f} {p95:>8.2f} {hits[name]:>4}/{len(items)}")
    result["ours_over_graphrag_hybrid"] = round(
        result["ours_hybrid"]["p50_ms"] / result["graphrag_hybrid"]["p50_ms"], 3
    )
    print(json.dumps(result, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
