"""How the service scales: build a store of N passages of real sentences through the real ingest pipeline,
then time what users do. Prints progress and a table to stderr and, last, one JSON line to stdout.

    .venv/bin/python scripts/bench_scale.py --passages 10000 [--synthetic] [--store embedded|neo4j]
        [--neo4j-uri bolt://127.0.0.1:17696 --reset] [--data-dir DIR] [--cache data/bench-cache]

The corpus (scripts/bench_corpus.py): law-like documents of 5–40 articles, each article 2–5 real sentences
of corpora/policies and ../shared/data/lawrefbook-laws, ingested one file at a time through IngestPipeline
(cleaning, structure, extraction, our knowledge tables) into the store, which is built through the
GraphStore protocol only (graph.factory.make_store). Passage vectors are the real model's, cached on disk
by text hash (the first run of a size embeds; later runs reuse); --synthetic gives each passage a cached
real vector plus small noise instead (cost only: no model at all once the cache holds 1,000 vectors).

Measured, after the build (model time is excluded from every write figure; queries embed for real):
- add_one_doc_ms: one more small document (5 articles) through the pipeline, median of 3; also the store
  write alone (add_one_doc_store_ms) and the first search after it (next_search_ms);
- bulk_passages_per_s: passages / (build seconds - model seconds), also for each tenth of the build (is
  it linear?); model_share: model seconds / build seconds; store_write_share: upsert_document's share;
- search_p50/p95_ms: search_api.hybrid.HybridRetriever.retrieve(q, 10), hybrid, over the questions of
  ../shared/eval plus sentence fragments (--queries in all); keyword_p50_ms: the same, keyword mode;
- floor_p50_ms: the same query's embedding plus exact numpy kNN (top 50) over the very vectors ingested,
  timed right after each search (alternating, so both see the same load on a shared machine);
- ask_p50_ms: search_api.ask.service.AskService.ask over the eval questions (wired as services.py does,
  with the real model; the answer sentences' vectors were made at ingest, as the service makes them —
  with --synthetic, noisy cached vectors like the passages' — unless --no-sentence-vectors, when the
  ask embeds the sentences it needs);
- neighbors_p50_ms: store.neighbors(entity, depth=1) as /api/graph/neighbors asks, for 30 entities;
- start_s: a fresh store object's start() on the built data; rss_mb: this process's resident memory after
  the build and the queries, before the floor's vectors are loaded (server_rss_mb: the Neo4j server's).
Neo4j needs --neo4j-uri and, unless the database is empty, --reset (which deletes everything in it).
Embedded: --data-dir DIR --keep keeps the built store (and the floor's vectors beside it, DIR.floor.f32);
a later --data-dir DIR --reuse skips the build and measures everything else on it (the bulk figures are
then null; the small documents it adds stay in the store).
BLAS runs on one thread (OPENBLAS_NUM_THREADS=1 unless set): see the note at the imports.
"""

from __future__ import annotations

import os

# One BLAS thread unless the environment says otherwise, set before numpy loads: OpenBLAS's second thread
# spins after each matrix product and slows the next query embedding (onnxruntime, one thread) on two
# cores — the floor at 10k took 37 ms with two BLAS threads and 14 ms with one on this machine.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import gc
import itertools
import json
import math
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from neo4j import GraphDatabase
from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_corpus import (
    DEFAULT_CACHE,
    DEFAULT_LAWS,
    ROOT,
    BenchEmbedder,
    VectorCache,
    eval_items,
    sentence_pool,
    synthetic_document,
)

from graph import cypher
from graph.factory import make_store
from graph.models import ENTITY_LABELS, DocumentBundle
from graph.store import GraphStore
from ingest.embedding import Embedder, make_embedder
from ingest.pipeline import IngestPipeline
from ingest.sentences import SentenceVectors
from ingest.sentences import file_for as sentence_vectors_file
from search_api.ask.service import AskService
from search_api.expansion import THESAURUS_FILE, Thesaurus
from search_api.hybrid import HybridRetriever
from search_api.references.aliases import LAW_ALIASES_FILE
from search_api.references.catalogue import Library
from search_api.references.reading import QueryReader
from search_api.references.resolver import ReferenceResolver
from search_api.retrieval import LibraryRetriever

DEFAULT_MODEL = ROOT / "models" / "bge-small-zh-v1.5"
FLOOR_DEPTH = 50  # what the hybrid retriever reads from each list (FusionConfig.candidates)
SMALL_DOCS = 3
NEIGHBOR_ENTITIES = 30
WARMUP = 3


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def ms_since(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def timed_ms(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return ms_since(started)


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, math.ceil(len(values) * 0.95) - 1)]  # nearest rank


def rss_mb(pid: int | str = "self", field: str = "VmRSS") -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def neo4j_server_pid(uri: str) -> str | None:
    """The launcher's java process (scripts/neo4j-start keeps its pid in /tmp/chuyi-neo4j-PORT)."""
    pid_file = Path(f"/tmp/chuyi-neo4j-{uri.rsplit(':', 1)[-1]}/pid")
    return pid_file.read_text().strip() if pid_file.exists() else None


class WriteTimer:
    """The store, with the time of its document writes counted (the store's share of ingest)."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store
        self.write_s = 0.0
        self.last_ms = 0.0

    def upsert_document(self, bundle: DocumentBundle) -> None:
        started = time.perf_counter()
        self._store.upsert_document(bundle)
        self.last_ms = ms_since(started)
        self.write_s += self.last_ms / 1000

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def queries(pool: list[str], total: int) -> list[str]:
    """The eval questions, then fragments of real sentences (6–14 characters) up to `total`."""
    search, _ = eval_items()
    found = [item["q"] for item in search][:total]
    rng = random.Random(11)
    while len(found) < total:
        sentence = rng.choice(pool)
        size = min(len(sentence), rng.randint(6, 14))
        start = rng.randint(0, len(sentence) - size)
        found.append(sentence[start : start + size])
    return found


def ask_service(store: GraphStore, model: Embedder, sentences: SentenceVectors | None = None) -> AskService:
    """AskService as Services.create builds it (thesaurus, law aliases, the library's reference reader, the
    sentence vectors ingest kept)."""
    knowledge = ROOT / "corpora" / "knowledge"
    hybrid = HybridRetriever(store, model, thesaurus=Thesaurus(knowledge / THESAURUS_FILE))
    library = Library(store, knowledge / LAW_ALIASES_FILE)
    retriever = LibraryRetriever(hybrid, QueryReader(library, ReferenceResolver(library)))
    return AskService(store, model, retriever, sentence_vectors=sentences)


def sentence_vectors_of(data_dir: Path, model: Path) -> SentenceVectors:
    """Where the service keeps them for a store in data_dir (Services.create: data_dir/cache)."""
    return SentenceVectors(sentence_vectors_file(data_dir / "cache", str(model)))


def build_store(args: argparse.Namespace) -> tuple[GraphStore, Callable[[], GraphStore]]:
    """A started, empty store of the asked kind, and how to make another object on the same data."""
    if args.store == "neo4j":
        if not args.neo4j_uri:
            raise SystemExit("bench: --store neo4j needs --neo4j-uri")
        auth = (args.neo4j_user, args.neo4j_password)
        with GraphDatabase.driver(args.neo4j_uri, auth=auth) as driver, driver.session() as session:
            if session.run(cypher.ANY_NODE).single(strict=True)["found"]:
                if not args.reset:
                    raise SystemExit("bench: the Neo4j database is not empty; pass --reset to empty it")
                session.run(cypher.DELETE_EVERYTHING).consume()

        def make() -> GraphStore:
            return make_store(
                "neo4j", data_dir=Path("."), neo4j_uri=args.neo4j_uri, neo4j_user=auth[0], neo4j_password=auth[1]
            )

    else:
        folder = args.data_dir or Path(tempfile.mkdtemp(prefix="bench-scale-"))
        if args.reuse:
            if not (folder / "graph.db").exists() or not floor_file_of(folder).exists():
                raise SystemExit(f"bench: --reuse needs a store built with --keep in {folder}")
        elif folder.exists() and any(folder.iterdir()):
            if not args.reset:
                raise SystemExit(f"bench: {folder} is not empty; pass --reset to empty it")
            shutil.rmtree(folder)
        folder.mkdir(parents=True, exist_ok=True)
        args.data_dir = folder

        def make() -> GraphStore:
            return make_store("embedded", data_dir=folder)

    store = make()
    store.start()
    return store, make


def floor_file_of(data_dir: Path) -> Path:
    """Where --keep keeps the vectors the floor searches over: beside the store's folder."""
    return data_dir.parent / f"{data_dir.name}.floor.f32"


def measure(args: argparse.Namespace) -> dict[str, Any]:
    pool = sentence_pool(args.laws)
    model = make_embedder(str(args.model), query_threads=1)
    model.start()
    cache = VectorCache(args.cache / Path(args.model).name, model.dimension)
    cache.load()
    work = Path(tempfile.mkdtemp(prefix="bench-scale-work-"))
    if (args.keep or args.reuse) and (args.store != "embedded" or args.data_dir is None):
        raise SystemExit("bench: --keep and --reuse need --store embedded and --data-dir")
    floor_file = floor_file_of(args.data_dir) if args.keep or args.reuse else work / "floor.f32"
    embedder = BenchEmbedder(model, cache, synthetic=args.synthetic, floor_file=floor_file, append=args.reuse)
    embedder.ensure_pool(pool)
    # The answer sentences' vectors, made at ingest as the service makes them (not in the floor's vectors).
    sentence_embedder = BenchEmbedder(model, cache, synthetic=args.synthetic, floor_file=None)

    def model_seconds() -> float:
        return embedder.model_s + sentence_embedder.model_s

    store, make = build_store(args)
    sentences = sentence_vectors_of(args.data_dir if args.store == "embedded" else work, args.model)
    timer = WriteTimer(store)
    pipeline = IngestPipeline(
        timer,  # type: ignore[arg-type]  # a GraphStore with its writes timed
        embedder,
        max_file_bytes=20 * 2**20,
        progress=False,
        knowledge_dir=ROOT / "corpora" / "knowledge",
        sentence_vectors=None if args.no_sentence_vectors else sentences,
        sentence_embedder=sentence_embedder,
    )
    pipeline.prepare()
    log(f"bench: {len(pool)} sentences; cache {len(cache)} vectors; store {store.name}; work {work}")

    def ingest(number: int, articles: tuple[int, int] = (5, 40)) -> int:
        name, text = synthetic_document(number, pool, articles)
        path = work / name
        path.write_text(text, encoding="utf-8")
        outcome = pipeline.ingest_file(path)
        path.unlink()
        if outcome.status != "ingested":
            raise SystemExit(f"bench: {name} was not ingested: {outcome}")
        return outcome.passages

    # -- bulk build ------------------------------------------------------------------------------------
    built, number = 0, 0
    if args.reuse:  # nothing to build; the small documents below get numbers no earlier run used
        built, number = store.stats().nodes.get("Passage", 0), len(store.list_documents())
        args.passages = 0
    model_before = model_seconds()
    started = time.perf_counter()
    # (passages, seconds without the model) at each tenth of the build: is ingest linear?
    marks: list[tuple[int, float]] = [(0, 0.0)]
    with tqdm(total=args.passages, unit="passage", desc=f"build {store.name}", file=sys.stderr) as bar:
        while built < args.passages:
            added = ingest(number)
            built += added
            number += 1
            bar.update(added)
            if built >= len(marks) * args.passages / 10:
                marks.append((built, time.perf_counter() - started - (model_seconds() - model_before)))
    build_s = time.perf_counter() - started
    rate_by_tenth = [round((b - a) / max(t - s, 1e-9), 1) for (a, s), (b, t) in itertools.pairwise(marks)]
    model_s = model_seconds() - model_before
    write_s = timer.write_s
    log(f"bench: built {built} passages in {number} documents, {build_s:.1f} s ({model_s:.1f} s in the model)")

    retriever = HybridRetriever(store, embedder)
    qs = queries(pool, args.queries)
    for q in qs[:WARMUP]:
        retriever.retrieve(q, 10)

    # -- one more small document, and the search right after it -------------------------------------------
    add_ms, store_ms, next_search_ms = [], [], []
    for i in range(SMALL_DOCS):
        model_before = model_seconds()
        started = time.perf_counter()
        ingest(10**6 + (number if args.reuse else 0) + i, articles=(5, 5))
        add_ms.append(ms_since(started) - (model_seconds() - model_before) * 1000)
        store_ms.append(timer.last_ms)
        next_search_ms.append(timed_ms(lambda i=i: retriever.retrieve(qs[i], 10)))

    # -- reads --------------------------------------------------------------------------------------------
    keyword_ms = [timed_ms(lambda q=q: retriever.retrieve(q, 10, mode="keyword")) for q in qs]
    # Ask scores candidate sentences with the model: it gets the real embedder, and is wired over the
    # library as search_api.services wires it.
    ask = ask_service(store, model, sentences)
    ask.gazetteer.refresh()
    search_items, ask_items = eval_items()
    questions = [item["q"] for item in ask_items + search_items] or qs[:30]
    for q in questions[:WARMUP]:
        ask.ask(q)
    ask_ms = [timed_ms(lambda q=q: ask.ask(q)) for q in questions]
    wanted = ("Organization", "Programme")
    entities = [n.id for n in store.find_entities("", None, 500) if n.label in wanted][:NEIGHBOR_ENTITIES]
    view = ["Document", *ENTITY_LABELS]
    neighbor_ms = [timed_ms(lambda e=e: store.neighbors(e, depth=1, labels=view, limit=200)) for e in entities]
    rss, peak = rss_mb(), rss_mb(field="VmHWM")
    server_pid = neo4j_server_pid(args.neo4j_uri) if args.store == "neo4j" else None
    server_rss = rss_mb(server_pid) if server_pid else None
    passages = store.stats().nodes.get("Passage", 0)
    documents = len(store.list_documents())

    # -- a fresh store object on the built data -------------------------------------------------------
    fresh = make()
    started = time.perf_counter()
    fresh.start()
    start_s = time.perf_counter() - started
    fresh.close()
    del fresh
    gc.collect()

    # -- hybrid search and its floor, query by query (the same load on both, on a shared machine) ---------
    # The floor: the query's embedding plus exact kNN over the very vectors ingested.
    embedder.close()
    vectors = np.fromfile(floor_file, dtype=np.float32).reshape(-1, embedder.dimension)

    def floor(q: str) -> None:
        v = np.asarray(model.embed_query(q), dtype=np.float32)
        scores = vectors @ v
        top = np.argpartition(-scores, min(FLOOR_DEPTH, len(scores) - 1))[:FLOOR_DEPTH]
        top[np.argsort(-scores[top])]

    for q in qs[:WARMUP]:
        floor(q)
    search_ms, floor_ms = [], []
    for q in qs:
        search_ms.append(timed_ms(lambda q=q: retriever.retrieve(q, 10)))
        floor_ms.append(timed_ms(lambda q=q: floor(q)))
    store.close()
    sentences.close()
    shutil.rmtree(work, ignore_errors=True)
    if args.store == "embedded" and not (args.keep or args.reuse):
        shutil.rmtree(args.data_dir, ignore_errors=True)

    med = statistics.median
    return {
        "passages": passages,
        "add_one_doc_ms": round(med(add_ms), 1),
        "bulk_passages_per_s": None if args.reuse else round(built / max(build_s - model_s, 1e-9), 1),
        "search_p50_ms": round(med(search_ms), 2),
        "search_p95_ms": round(p95(search_ms), 2),
        "floor_p50_ms": round(med(floor_ms), 2),
        "keyword_p50_ms": round(med(keyword_ms), 2),
        "ask_p50_ms": round(med(ask_ms), 2),
        "neighbors_p50_ms": round(med(neighbor_ms), 2) if neighbor_ms else None,
        "start_s": round(start_s, 3),
        "rss_mb": rss,
        # Beyond the fixed fields: what the figures above rest on.
        "store": store.name,
        "synthetic": args.synthetic,
        "documents": documents,
        "reused": args.reuse,
        "build_s": None if args.reuse else round(build_s, 1),
        "model_s": round(model_s, 1),
        "model_share": round(model_s / build_s, 3) if build_s and not args.reuse else None,
        "store_write_share": round(write_s / build_s, 3) if build_s and not args.reuse else None,
        "bulk_passages_per_s_by_tenth": rate_by_tenth,
        "add_one_doc_store_ms": round(med(store_ms), 1),
        "next_search_ms": round(max(next_search_ms), 2),
        "peak_rss_mb": peak,
        "server_rss_mb": server_rss,
        "queries": len(qs),
        "ask_questions": len(questions),
        "search_over_floor": round(med(search_ms) / med(floor_ms), 2),
        "ask_over_search": round(med(ask_ms) / med(search_ms), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--passages", type=int, required=True)
    parser.add_argument("--synthetic", action="store_true", help="cached real vectors plus noise (cost only)")
    parser.add_argument("--store", choices=["embedded", "neo4j"], default="embedded")
    parser.add_argument("--data-dir", type=Path, help="embedded: where to build (default: a temp folder)")
    parser.add_argument("--keep", action="store_true", help="embedded: keep the built store")
    parser.add_argument("--reuse", action="store_true", help="embedded: measure a store kept by --keep")
    parser.add_argument("--neo4j-uri")
    parser.add_argument("--neo4j-user", default="neo4j")
    parser.add_argument("--neo4j-password", default="neo4j")
    parser.add_argument("--reset", action="store_true", help="empty the target store first")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="passage vectors by text hash")
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--laws", type=Path, default=DEFAULT_LAWS, help="more real sentences (Markdown laws)")
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument(
        "--no-sentence-vectors",
        action="store_true",
        help="do not embed answer sentences at ingest (CHUYI_SENTENCE_VECTORS_AT_INGEST=false): asks embed them",
    )
    args = parser.parse_args()
    result = measure(args)
    for key, value in result.items():
        log(f"  {key:<22} {value}")
    print(json.dumps(result, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
