"""The embedded store at scale: bulk ingest, one small document, searches against the floor, start, memory.

    .venv/bin/python scripts/bench_embedded_store.py --passages 100000 [--folder DIR] [--reuse]

Passages come from scripts/bench_corpus.py (real sentences, real vectors recombined with a little
noise), 20 to a document, each document ISSUED_BY one of 50 organisations and each passage
MENTIONS one of 500 programmes. Queries are the eval questions, embedded by the real encoder
(onnxruntime, one thread) each time. "floor" = query embedding + exact numpy kNN over the same
vectors held in memory; "search" = query embedding + vector_search(50) + keyword_search(50), what
hybrid search asks of the store. Start and memory are measured in a fresh process. Prints, last, one
JSON line.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_sentence_pool import MODEL, load_pool, passages

from graph import vector_index
from graph.embedded import EmbeddedStore
from graph.models import Document, DocumentBundle, Entity, Passage, Relation, SearchFilters

PER_DOC = 20
K = 50


def bundles(pool, n: int, first_doc: int = 0, seed: int = 1):  # type: ignore[no-untyped-def]
    orgs = [Entity(id=f"org:{i}", label="Organization", name=f"湖南省第{i}职业技术学院") for i in range(50)]
    progs = [Entity(id=f"prog:{i}", label="Programme", name=f"楚怡第{i}计划") for i in range(500)]
    rng = np.random.default_rng(seed)
    batch: list[tuple[str, np.ndarray]] = []
    d = first_doc
    for text, vec in passages(pool, n, seed=seed):
        batch.append((text, vec))
        if len(batch) == PER_DOC:
            yield _bundle(d, batch, orgs, progs, rng)
            batch, d = [], d + 1
    if batch:
        yield _bundle(d, batch, orgs, progs, rng)


def _bundle(d, batch, orgs, progs, rng) -> DocumentBundle:  # type: ignore[no-untyped-def]
    doc = Document(id=f"doc:{d}", title=f"文件{d}", source=f"{d}.txt", sha256=f"sha{d}")
    ps = [
        Passage(id=f"psg:{d}:{j}", doc_id=doc.id, text=t, order=j, section_path=f"{j % 5}", embedding=v.tolist())
        for j, (t, v) in enumerate(batch)
    ]
    org = orgs[int(rng.integers(len(orgs)))]
    mentioned = [progs[int(rng.integers(len(progs)))] for _ in ps]
    rels = [Relation(source=doc.id, target=org.id, type="ISSUED_BY", evidence=ps[0].id)]
    rels += [
        Relation(source=p.id, target=e.id, type="MENTIONS", evidence=p.id) for p, e in zip(ps, mentioned, strict=True)
    ]
    return DocumentBundle(
        document=doc, passages=ps, entities=[org, *{e.id: e for e in mentioned}.values()], relations=rels
    )


def median_ms(fn: Callable[[], object], items: list) -> float:  # type: ignore[type-arg]
    times = []
    for item in items:
        start = time.perf_counter()
        fn(item)  # type: ignore[call-arg]
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def fresh_process(folder: Path) -> dict[str, float]:
    code = f"""
import json, time, resource
t = time.perf_counter()
from graph import vector_index
from graph.embedded import EmbeddedStore
s = EmbeddedStore({str(folder)!r}); s.start()
start_s = time.perf_counter() - t
s.keyword_search(["职业"], 50); s.vector_search([1.0] * s._vectors.dim, 50)
rss = int(open('/proc/self/status').read().split('VmRSS:')[1].split()[0]) / 1024
hwm = int(open('/proc/self/status').read().split('VmHWM:')[1].split()[0]) / 1024
print(json.dumps({{"start_s": start_s, "rss_mb": rss, "peak_rss_mb": hwm}}))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--passages", type=int, default=10_000)
    parser.add_argument("--folder", type=Path)
    parser.add_argument("--reuse", action="store_true", help="measure a store already built in --folder")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "chuyi-bench")
    args = parser.parse_args()
    pool = load_pool(args.cache)
    folder = args.folder or Path(tempfile.mkdtemp(prefix="bench-embedded-"))
    result: dict[str, float] = {"passages": args.passages}

    store = EmbeddedStore(folder)
    store.start()
    if not args.reuse:
        tenth = max(1, args.passages // PER_DOC // 10)
        rates: list[float] = []
        start = window = time.perf_counter()
        for i, b in enumerate(bundles(pool, args.passages)):
            store.upsert_document(b)
            if (i + 1) % tenth == 0:
                now = time.perf_counter()
                rates.append(tenth * PER_DOC / (now - window))
                window = now
                print(f"  {(i + 1) * PER_DOC} passages: {rates[-1]:.0f} passages/s", flush=True)
        took = time.perf_counter() - start
        result |= {"bulk_passages_per_s": args.passages / took, "bulk_first_tenth_per_s": rates[0],
                   "bulk_last_tenth_per_s": rates[-1]}  # fmt: skip
        print(f"bulk: {took:.0f} s, passages/s by tenths: {[round(r) for r in rates]}", flush=True)

    ann = store._vectors._ann
    deadline = time.monotonic() + 1800
    while store._vectors._rows >= vector_index.ANN_MIN_ROWS and not (ann and ann.ready):
        assert time.monotonic() < deadline, "the HNSW index was not built in 30 min"
        time.sleep(1)  # measure with the HNSW index in place, as a running service has it
        ann = store._vectors._ann

    from ingest.embedding import make_embedder

    embedder = make_embedder(str(MODEL), query_threads=1)
    embedder.start()
    queries = pool.queries
    embedder.embed_query(queries[0])
    # The floor scans the same float32 rows, in memory (the mapped pages when none was deleted).
    vectors = store._vectors._matrix[: store._vectors._rows]
    valid = np.flatnonzero(store._vectors._valid[: len(vectors)])
    vectors = vectors if len(valid) == len(vectors) else vectors[valid]
    np.asarray(vectors.sum())  # page them in

    def floor(q: str) -> None:
        v = np.asarray(embedder.embed_query(q), np.float32)
        with threadpool_limits(1, "blas"):  # the best exact kNN here (see graph/vector_index.py)
            scores = vectors @ v
        top = np.argpartition(-scores, K)[:K]
        top[np.argsort(-scores[top])]

    def floor_default_blas(q: str) -> None:
        v = np.asarray(embedder.embed_query(q), np.float32)
        scores = vectors @ v
        top = np.argpartition(-scores, K)[:K]
        top[np.argsort(-scores[top])]

    def search(q: str) -> None:
        v = embedder.embed_query(q)
        store.vector_search(v, K)
        store.keyword_search(store.tokenizer.search_tokens(q), K)

    tokens = {q: store.tokenizer.search_tokens(q) for q in queries}
    qvecs = {q: embedder.embed_query(q) for q in queries}
    for fn in (floor, search):  # warm
        for q in queries[:3]:
            fn(q)
    result["floor_p50_ms"] = median_ms(floor, queries * 2)
    result["floor_default_blas_p50_ms"] = median_ms(floor_default_blas, queries * 2)
    result["search_p50_ms"] = median_ms(search, queries * 2)
    result["embed_p50_ms"] = median_ms(embedder.embed_query, queries)
    result["vector_p50_ms"] = median_ms(lambda q: store.vector_search(qvecs[q], K), queries)
    recall = []
    for q in queries:
        v = np.asarray(qvecs[q], np.float32)
        exact = set(valid[np.argsort(-(vectors @ v))[:K]].tolist())
        got = set(store._db.passage_rows("id", [h.passage.id for h in store.vector_search(qvecs[q], K)]))
        recall.append(len(exact & got) / K)
    result["vector_recall_at_50"] = statistics.mean(recall)
    result["keyword_p50_ms"] = median_ms(lambda q: store.keyword_search(tokens[q], K), queries)
    some_docs = SearchFilters(doc_ids=[f"doc:{i}" for i in range(0, 200, 7)])
    result["filtered_doc_p50_ms"] = median_ms(lambda q: store.vector_search(qvecs[q], K, some_docs), queries)
    issuer = SearchFilters(issuers=["湖南省第3职业技术学院"])
    result["filtered_issuer_p50_ms"] = median_ms(lambda q: store.keyword_search(tokens[q], K, issuer), queries)
    result["find_entities_p50_ms"] = median_ms(lambda q: store.find_entities(q), ["职业技术学院", "楚怡第1", "第3"] * 5)
    result["neighbors_p50_ms"] = median_ms(lambda n: store.neighbors(n, depth=1), [f"prog:{i}" for i in range(10)])
    result["get_nodes_50_ms"] = median_ms(lambda ids: store.get_nodes(ids), [[f"psg:{d}:0" for d in range(50)]] * 5)

    adds = []
    nexts = []
    for i, b in enumerate(bundles(pool, 10 * 3, first_doc=10**7, seed=9)):  # three small documents of 10
        b.passages = b.passages[:10]
        b.relations = [r for r in b.relations if r.source in {p.id for p in b.passages} or r.type == "ISSUED_BY"]
        start = time.perf_counter()
        store.upsert_document(b)
        adds.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        search(queries[i])
        nexts.append((time.perf_counter() - start) * 1000)
    result["add_one_doc_ms"] = statistics.median(adds)
    result["next_search_ms"] = statistics.median(nexts)
    store.close()
    result |= fresh_process(folder)
    for k, v in result.items():
        print(f"  {k:<24} {v:10.2f}")
    print(json.dumps({k: round(v, 2) for k, v in result.items()}))


if __name__ == "__main__":
    main()
