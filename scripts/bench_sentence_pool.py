"""Passages for the embedded-store benchmarks (bench_embedded_store.py, bench_embedded_engines.py):
real sentences with real vectors, recombined.

Sentences come from the seed (corpora/policies) and ../shared/data/lawrefbook-laws; each is embedded once
with the real model (cached under --cache, keyed by the model folder and the sentences' hash). A
passage joins three random sentences; its vector is the mean of theirs plus a little noise, so
N passages cost nothing to embed but spread like real ones. Queries are the eval questions.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from graph.text import split_sentences
from graph.vectors import normalise

ROOT = Path(__file__).resolve().parent.parent
LAWS = ROOT.parent / "shared" / "data" / "lawrefbook-laws"
EVAL = ROOT.parent / "shared" / "eval"
MODEL = ROOT / "models" / "bge-small-zh-v1.5"
NOISE = 0.01  # per dimension; a passage vector stays within cosine ~0.98 of its sentences' mean


@dataclass
class SentencePool:
    sentences: list[str]
    vectors: np.ndarray  # (len(sentences), dim), unit rows
    queries: list[str]
    query_vectors: np.ndarray


def _sentences(limit: int) -> list[str]:
    files = sorted((ROOT / "corpora" / "policies").glob("*.txt")) + sorted(LAWS.rglob("*.md"))
    found: dict[str, None] = {}
    for f in files:
        for s in split_sentences(f.read_text(encoding="utf-8"), at_newlines=True):
            if 8 <= len(s) <= 160 and not s.startswith(("#", "<!--")):
                found[s] = None
    pool = list(found)
    random.Random(5).shuffle(pool)
    return pool[:limit]


def _queries() -> list[str]:
    out: list[str] = []
    for name in ("seed_dev_qa.json", "library_dev.json"):
        path = EVAL / name
        if path.exists():
            data = json.loads(path.read_text(encoding="utf-8"))
            out += [q["q"] for kind in ("search", "ask") for q in data.get(kind, [])]
    return out


def load_pool(cache: Path, limit: int = 1500) -> SentencePool:
    sentences, queries = _sentences(limit), _queries()
    key = hashlib.sha256("\n".join([MODEL.name, *sentences, "\x00", *queries]).encode()).hexdigest()[:16]
    path = cache / f"pool-{key}.npz"
    if not path.exists():
        from ingest.embedding import make_embedder

        embedder = make_embedder(str(MODEL))
        embedder.start()
        vecs = np.asarray(embedder.embed_passages(sentences), dtype=np.float32)
        qv = np.asarray([embedder.embed_query(q) for q in queries], dtype=np.float32)
        cache.mkdir(parents=True, exist_ok=True)
        np.savez(path, vectors=vecs, query_vectors=qv)
    data = np.load(path)
    return SentencePool(sentences, data["vectors"], queries, data["query_vectors"])


def passages(pool: SentencePool, n: int, seed: int = 1) -> Iterator[tuple[str, np.ndarray]]:
    """n (text, unit vector) pairs, the same for the same seed."""
    rng = np.random.default_rng(seed)
    count = len(pool.sentences)
    for _ in range(n):
        picks = rng.choice(count, 3, replace=False)
        text = "。".join(pool.sentences[int(i)].rstrip("。") for i in picks) + "。"
        vec = pool.vectors[picks].mean(axis=0) + rng.normal(0.0, NOISE, pool.vectors.shape[1])
        yield text, normalise(vec)
