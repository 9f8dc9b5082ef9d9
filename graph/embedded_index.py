"""The embedded store's passage indexes: exact cosine over normalised vectors and BM25 over jieba
tokens. Both are rebuilt lazily after a write; ids are sorted so ties break the same way every run."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import bm25s
import numpy as np
import scipy.sparse as sp

from graph.vectors import normalise

# Lucene's BM25 (what Neo4j's full-text index uses): same formula and defaults, so both stores rank alike.
_K1 = 1.2
_B = 0.75
_FREE = 24  # Lucene's SmallFloat: lengths below this are stored exactly


def lucene_length(n: int) -> int:
    """A document length as Lucene stores it (one byte: SmallFloat.intToByte4 then byte4ToInt).

    Lengths from 24 on keep only their four most significant bits, so long passages score as if a
    little shorter; doing the same here is what makes near-ties rank the same on both stores."""
    if n < _FREE:
        return n
    rest = n - _FREE
    bits = rest.bit_length()
    if bits < 4:
        return n
    shift = bits - 4
    return _FREE + ((rest >> shift) << shift)


class LuceneBM25(bm25s.BM25):
    """bm25s's BM25 (method "lucene") with Lucene's one-byte document lengths.

    build_index_from_ids is bm25s's documented extension point for building the score matrix."""

    def __init__(self) -> None:
        super().__init__(k1=_K1, b=_B, method="lucene")

    def build_index_from_ids(
        self,
        unique_token_ids: list[int],
        corpus_token_ids: list[list[int]],
        show_progress: bool = True,
        leave_progress: bool = False,
    ) -> dict[str, Any]:
        self.nonoccurrence_array = None  # only BM25L and BM25+ use one
        n_docs, n_vocab = len(corpus_token_ids), len(unique_token_ids)
        lengths = np.array([len(d) for d in corpus_token_ids], dtype=np.float64)
        avgdl = float(lengths.mean())
        rows: list[int] = []
        cols: list[int] = []
        freqs: list[int] = []
        for doc, token_ids in enumerate(corpus_token_ids):
            counts = Counter(token_ids)
            rows.extend([doc] * len(counts))
            cols.extend(counts.keys())
            freqs.extend(counts.values())
        r, c, tf = np.array(rows), np.array(cols), np.array(freqs, dtype=np.float64)
        df = np.bincount(c, minlength=n_vocab).astype(np.float64)
        idf = np.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))
        stored = np.array([lucene_length(int(n)) for n in lengths], dtype=np.float64)
        norm = self.k1 * ((1.0 - self.b) + self.b * stored[r] / avgdl)
        data = idf[c] * tf / (tf + norm)
        matrix = sp.csc_matrix((data, (r, c)), shape=(n_docs, n_vocab), dtype=self.dtype)
        return {"data": matrix.data, "indices": matrix.indices, "indptr": matrix.indptr, "num_docs": n_docs}


class PassageIndex:
    """Answers (passage id, score) rankings; the store turns them into hits and applies filters."""

    def __init__(self) -> None:
        self._dense: tuple[list[str], np.ndarray] | None = None
        self._bm25: tuple[list[str], bm25s.BM25 | None] | None = None

    def invalidate(self) -> None:
        self._dense = None
        self._bm25 = None

    def dense(
        self, embedding: list[float], ids: Callable[[], list[str]], vectors: dict[str, np.ndarray]
    ) -> Iterator[tuple[str, float]]:
        if self._dense is None:
            have = [p for p in ids() if p in vectors]
            matrix = np.stack([vectors[p] for p in have]) if have else np.zeros((0, 0), np.float32)
            self._dense = (have, matrix)
        have, matrix = self._dense
        if not have:
            return iter(())
        scores = matrix @ normalise(embedding)
        order = np.argsort(-scores, kind="stable")
        # Lazy: the caller usually stops after k hits.
        return ((have[int(i)], float(scores[i])) for i in order)

    def keyword(
        self, tokens: list[str], ids: Callable[[], list[str]], tokens_of: Callable[[str], list[str]]
    ) -> Iterator[tuple[str, float]]:
        if self._bm25 is None:
            have = ids()
            retriever = None
            if have:
                retriever = LuceneBM25()
                retriever.index([tokens_of(p) or [""] for p in have], show_progress=False)
            self._bm25 = (have, retriever)
        have, retriever = self._bm25
        if retriever is None:
            return iter(())
        vocab = retriever.vocab_dict
        known = [t for t in dict.fromkeys(tokens) if t in vocab]
        if not known:
            return iter(())
        scores = retriever.get_scores(known)
        order = np.argsort(-scores, kind="stable")
        return ((have[int(i)], float(scores[i])) for i in itertools.takewhile(lambda i: scores[i] > 0, order))
