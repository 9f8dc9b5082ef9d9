"""Which embedded engines the embedded store uses, measured: keyword (BM25) and vector indexes.

    .venv/bin/python scripts/bench_embedded_engines.py --passages 100000 [--part keyword|vector|both]

Keyword candidates over the same pre-segmented tokens (graph.text.search_tokens):
  numpy     our Lucene-BM25 over in-memory postings (graph.keyword_index), exact Lucene formula
  fts5      SQLite FTS5 with its built-in bm25() (a different idf and no length quantisation)
  tantivy   tantivy-py, whitespace tokenizer (Lucene-style BM25, one-byte field norms)
  bm25s     the old embedded index: bm25s rebuilt over the whole corpus
Vector candidates over the same unit float32 vectors:
  exact     numpy matrix @ query over the memory-mapped matrix (the floor)
  faiss-hnsw faiss IndexHNSWSQ (8-bit) as graph.vector_index uses it, candidates (2k) re-scored exactly
  usearch   HNSW (int8 / f16 / f32), incremental add, candidates (2k) re-scored on the float32 rows
  faiss-ivf faiss IndexIVFFlat (nlist ~ 4 sqrt N), nprobe chosen for recall@50 ≥ 0.95
Prints medians over the eval questions and recall/agreement against the exact answers. Needs the
optional engines installed (pip install tantivy usearch faiss-cpu bm25s); a missing one is skipped.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import pickle
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_sentence_pool import SentencePool, load_pool, passages

from graph.keyword_index import KeywordIndex, encode_terms
from graph.text import search_tokens

K = 50  # what hybrid search reads from each list (search_api.hybrid.FusionConfig.candidates)


def rss_mb() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * 4096 / 2**20


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def token_corpus(pool: SentencePool, n: int, cache: Path) -> list[list[str]]:
    path = cache / f"tokens-{n}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    out = [search_tokens(text) for text, _ in passages(pool, n)]
    path.write_bytes(pickle.dumps(out))
    return out


# -- keyword engines ----------------------------------------------------------------------------------
class NumpyEngine:
    name = "numpy"

    def __init__(self) -> None:
        self.index = KeywordIndex()

    def build(self, docs: Sequence[list[str]]) -> None:
        for lo in range(0, len(docs), 20):  # as a bulk load writes them: a segment per document
            self.add(lo, docs[lo : lo + 20])
        self.index.compact()

    def add(self, start: int, docs: Sequence[list[str]]) -> None:
        rows = list(range(start, start + len(docs)))
        self.index.add(rows, [encode_terms(d) for d in docs], [len(d) for d in docs])

    def query(self, tokens: list[str], k: int) -> list[int]:
        return [row for row, _ in self.index.top(tokens, k)]


class Fts5Engine:
    name = "fts5"

    def __init__(self, folder: Path) -> None:
        self.db = sqlite3.connect(folder / "fts.db", isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("CREATE VIRTUAL TABLE t USING fts5(tokens, tokenize = \"unicode61 separators ' '\")")

    def build(self, docs: Sequence[list[str]]) -> None:
        self.add(0, docs)

    def add(self, start: int, docs: Sequence[list[str]]) -> None:
        self.db.execute("BEGIN")
        self.db.executemany(
            "INSERT INTO t(rowid, tokens) VALUES (?, ?)", ((start + i, " ".join(d)) for i, d in enumerate(docs))
        )
        self.db.execute("COMMIT")

    def query(self, tokens: list[str], k: int) -> list[int]:
        terms = " OR ".join('"' + t.replace('"', '""') + '"' for t in dict.fromkeys(tokens))
        if not terms:
            return []
        rows = self.db.execute("SELECT rowid FROM t WHERE t MATCH ? ORDER BY rank LIMIT ?", (terms, k))
        return [r[0] for r in rows]


class TantivyEngine:
    name = "tantivy"

    def __init__(self, folder: Path) -> None:
        import tantivy

        self.t = tantivy
        sb = tantivy.SchemaBuilder()
        sb.add_integer_field("row", stored=True, indexed=True, fast=True)
        sb.add_text_field("tokens", tokenizer_name="whitespace", index_option="freq")
        self.schema = sb.build()
        (folder / "tantivy").mkdir()
        self.index = tantivy.Index(self.schema, path=str(folder / "tantivy"))
        self.writer = self.index.writer(heap_size=100_000_000, num_threads=1)

    def build(self, docs: Sequence[list[str]]) -> None:
        self.add(0, docs)

    def add(self, start: int, docs: Sequence[list[str]]) -> None:
        for i, d in enumerate(docs):
            self.writer.add_document(self.t.Document(row=start + i, tokens=" ".join(d)))
        self.writer.commit()
        self.index.reload()

    def query(self, tokens: list[str], k: int) -> list[int]:
        terms = [
            (self.t.Occur.Should, self.t.Query.term_query(self.schema, "tokens", t)) for t in dict.fromkeys(tokens)
        ]
        if not terms:
            return []
        searcher = self.index.searcher()
        result = searcher.search(self.t.Query.boolean_query(terms), k)
        return [searcher.doc(addr)["row"][0] for _score, addr in result.hits]


class Bm25sEngine:
    """The old index: bm25s (its Lucene variant) rebuilt over the whole corpus after every write."""

    name = "bm25s"

    def __init__(self) -> None:
        import bm25s

        self.bm25s = bm25s
        self.docs: list[list[str]] = []

    def build(self, docs: Sequence[list[str]]) -> None:
        self.docs = list(docs)
        self.retriever = self.bm25s.BM25(k1=1.2, b=0.75, method="lucene")
        self.retriever.index([d or [""] for d in self.docs], show_progress=False)

    def add(self, start: int, docs: Sequence[list[str]]) -> None:
        self.build([*self.docs, *docs])

    def query(self, tokens: list[str], k: int) -> list[int]:
        known = [t for t in dict.fromkeys(tokens) if t in self.retriever.vocab_dict]
        if not known:
            return []
        scores = self.retriever.get_scores(known)
        return [int(i) for i in np.argsort(-scores, kind="stable")[:k] if scores[i] > 0]


class Engine(Protocol):
    name: str

    def build(self, docs: Sequence[list[str]]) -> None: ...
    def add(self, start: int, docs: Sequence[list[str]]) -> None: ...
    def query(self, tokens: list[str], k: int) -> list[int]: ...


def bench_keyword(pool: SentencePool, n: int, cache: Path, folder: Path, engines: list[str]) -> None:
    docs = token_corpus(pool, n, cache)
    queries = [search_tokens(q) for q in pool.queries]
    extra = [search_tokens(t) for t, _ in passages(pool, 10, seed=99)]
    reference: list[list[int]] | None = None
    print(f"keyword engines, {n} passages, {len(queries)} queries, k={K}")
    makers: dict[str, Callable[[], Engine]] = {
        "numpy": NumpyEngine,
        "fts5": lambda: Fts5Engine(folder),
        "tantivy": lambda: TantivyEngine(folder),
        "bm25s": Bm25sEngine,
    }
    for name in engines:
        try:
            engine = makers[name]()
        except ImportError as exc:
            print(f"  {name:<8} skipped ({exc})")
            continue
        before = rss_mb()
        start = time.perf_counter()
        engine.build(docs)
        build_s = time.perf_counter() - start
        grown = rss_mb() - before
        answers = [engine.query(q, K) for q in queries]
        q_ms = statistics.median(median_ms(lambda q=q, e=engine: e.query(q, K), 3) for q in queries)
        start = time.perf_counter()
        engine.add(n, extra)  # one small document, then the next query sees it
        engine.query(queries[0], K)
        add_ms = (time.perf_counter() - start) * 1000
        if reference is None:
            reference = answers
        top10 = statistics.mean(
            len(set(a[:10]) & set(r[:10])) / max(1, min(10, len(r))) for a, r in zip(answers, reference, strict=True)
        )
        same = sum(a[:10] == r[:10] for a, r in zip(answers, reference, strict=True))
        print(
            f"  {name:<8} build {build_s:7.1f} s ({n / build_s:7.0f} passages/s)  query p50 {q_ms:7.2f} ms  "
            f"add 10 + next query {add_ms:8.1f} ms  rss +{grown:5.0f} MB  "
            f"top-10 overlap with numpy {top10:.3f}, identical top-10 {same}/{len(queries)}"
        )


# -- vector engines -----------------------------------------------------------------------------------
def vector_matrix(pool: SentencePool, n: int, cache: Path) -> np.ndarray:
    path = cache / f"vectors-{n}.f32"
    dim = pool.vectors.shape[1]
    if not path.exists():
        out = np.lib.format.open_memmap(path.with_suffix(".tmp.npy"), "w+", np.float32, (n, dim))
        for i, (_, v) in enumerate(passages(pool, n)):
            out[i] = v
        out.flush()
        del out
        path.with_suffix(".tmp.npy").rename(path)
    return np.load(path, mmap_mode="r")


def exact_top(matrix: np.ndarray, q: np.ndarray, k: int) -> np.ndarray:
    scores = matrix @ q
    top = np.argpartition(-scores, k)[:k]
    return top[np.argsort(-scores[top], kind="stable")]


def bench_vector(pool: SentencePool, n: int, cache: Path, engines: list[str]) -> None:
    matrix = vector_matrix(pool, n, cache)
    queries = pool.query_vectors
    np.asarray(matrix @ queries[0])  # page the file in
    truth = [set(exact_top(matrix, q, K).tolist()) for q in queries]
    exact_ms = statistics.median(median_ms(lambda q=q: exact_top(matrix, q, K), 3) for q in queries)
    print(f"vector engines, {n} x {matrix.shape[1]}, k={K}: exact numpy over the memory map {exact_ms:.1f} ms p50")
    dim = matrix.shape[1]
    if "usearch" in engines:
        with contextlib.suppress(ImportError):
            from usearch.index import Index

            # (dtype, expansion_add): what the store uses (i8, 64) against full-precision builds.
            for dtype, expansion_add in (("i8", 64), ("f16", 64), ("f32", 128)):
                index = Index(ndim=dim, metric="ip", dtype=dtype, connectivity=16, expansion_add=expansion_add)
                start = time.perf_counter()
                for lo in range(0, n, 10_000):
                    chunk = np.ascontiguousarray(matrix[lo : lo + 10_000])
                    index.add(np.arange(lo, lo + len(chunk)), chunk, threads=2)
                build_s = time.perf_counter() - start

                def rescored(q: np.ndarray, index: Index = index) -> np.ndarray:
                    rows = np.sort(index.search(q, 2 * K).keys.astype(np.int64))  # as graph.vector_index
                    return rows[np.argsort(-(matrix[rows] @ q), kind="stable")[:K]]

                for ef in (128, 256, 512):
                    index.expansion_search = ef
                    recall = statistics.mean(
                        len(set(rescored(q).tolist()) & t) / K for q, t in zip(queries, truth, strict=True)
                    )
                    ms = statistics.median(median_ms(lambda q=q: rescored(q), 3) for q in queries)
                    print(
                        f"  usearch {dtype} add {expansion_add}: build {build_s:6.1f} s ({n / build_s:6.0f}/s)  "
                        f"search {ef:3d}: {ms:6.2f} ms  recall@50 {recall:.3f}  {index.memory_usage / 2**20:.0f} MB"
                    )
                del index
    if "faiss-hnsw" in engines:
        with contextlib.suppress(ImportError):
            import faiss

            hnsw = faiss.IndexHNSWSQ(dim, faiss.ScalarQuantizer.QT_8bit, 16, faiss.METRIC_INNER_PRODUCT)
            hnsw.hnsw.efConstruction = 64
            index_map = faiss.IndexIDMap(hnsw)
            start = time.perf_counter()
            hnsw.train(np.ascontiguousarray(matrix[:10_000]))
            for lo in range(0, n, 10_000):
                chunk = np.ascontiguousarray(matrix[lo : lo + 10_000])
                index_map.add_with_ids(chunk, np.arange(lo, lo + len(chunk)).astype(np.int64))
            build_s = time.perf_counter() - start

            def hnsw_rescored(q: np.ndarray) -> np.ndarray:
                _, ids = index_map.search(q[None, :], 2 * K)
                rows = np.sort(ids[0][ids[0] >= 0])
                return rows[np.argsort(-(matrix[rows] @ q), kind="stable")[:K]]

            for ef in (128, 256, 512):
                hnsw.hnsw.efSearch = ef
                recall = statistics.mean(
                    len(set(hnsw_rescored(q).tolist()) & t) / K for q, t in zip(queries, truth, strict=True)
                )
                ms = statistics.median(median_ms(lambda q=q: hnsw_rescored(q), 3) for q in queries)
                print(
                    f"  faiss-hnsw sq8: build {build_s:6.1f} s ({n / build_s:6.0f}/s)  efSearch {ef:3d}: {ms:6.2f} ms  "
                    f"recall@50 {recall:.3f}"
                )
    if "faiss" in engines:
        with contextlib.suppress(ImportError):
            import faiss

            nlist = int(4 * math.sqrt(n))
            quantizer = faiss.IndexFlatIP(dim)
            ivf = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT)
            start = time.perf_counter()
            sample = np.ascontiguousarray(matrix[np.random.default_rng(0).choice(n, min(n, 40 * nlist), replace=False)])
            ivf.train(sample)
            train_s = time.perf_counter() - start
            for lo in range(0, n, 50_000):
                ivf.add(np.ascontiguousarray(matrix[lo : lo + 50_000]))
            build_s = time.perf_counter() - start
            faiss.omp_set_num_threads(1)
            for nprobe in (8, 16, 32, 64):
                ivf.nprobe = nprobe
                recall = statistics.mean(
                    len(set(ivf.search(q[None, :], K)[1][0].tolist()) & t) / K
                    for q, t in zip(queries, truth, strict=True)
                )
                ms = statistics.median(median_ms(lambda q=q: ivf.search(q[None, :], K), 3) for q in queries)
                print(
                    f"  faiss-ivf nlist {nlist} train {train_s:5.1f} s build {build_s:6.1f} s  nprobe {nprobe:3d}: "
                    f"{ms:6.2f} ms  recall@50 {recall:.3f}"
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--passages", type=int, default=10_000)
    parser.add_argument("--part", choices=("keyword", "vector", "both"), default="both")
    parser.add_argument("--keyword-engines", default="numpy,fts5,tantivy,bm25s")
    parser.add_argument("--vector-engines", default="faiss-hnsw,usearch,faiss")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "chuyi-bench")
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    pool = load_pool(args.cache)
    with tempfile.TemporaryDirectory(prefix="bench-engines-") as folder:
        if args.part in ("keyword", "both"):
            bench_keyword(pool, args.passages, args.cache, Path(folder), args.keyword_engines.split(","))
        if args.part in ("vector", "both"):
            bench_vector(pool, args.passages, args.cache, args.vector_engines.split(","))


if __name__ == "__main__":
    main()
