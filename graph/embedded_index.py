"""The embedded store's passage indexes: exact cosine over normalised vectors and BM25 over jieba
tokens. Both are rebuilt lazily after a write; ids are sorted so ties break the same way every run."""

from __future__ import annotations

from collections.abc import Callable

import bm25s
import numpy as np

# Lucene's BM25 (what Neo4j's full-text index uses): same formula and defaults, so both stores rank alike.
_K1 = 1.2
_B = 0.75


def normalise(vec: list[float] | np.ndarray) -> np.ndarray:
    arr = np.asarray(vec, dtype=np.float32)
    norm = float(np.linalg.norm(arr))
    return arr / norm if norm > 0 else arr


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
    ) -> list[tuple[str, float]]:
        if self._dense is None:
            have = [p for p in ids() if p in vectors]
            matrix = np.stack([vectors[p] for p in have]) if have else np.zeros((0, 0), np.float32)
            self._dense = (have, matrix)
        have, matrix = self._dense
        if not have:
            return []
        scores = matrix @ normalise(embedding)
        order = np.argsort(-scores, kind="stable")
        return [(have[int(i)], float(scores[i])) for i in order]

    def keyword(
        self, tokens: list[str], ids: Callable[[], list[str]], tokens_of: Callable[[str], list[str]]
    ) -> list[tuple[str, float]]:
        if self._bm25 is None:
            have = ids()
            retriever = None
            if have:
                retriever = bm25s.BM25(k1=_K1, b=_B, method="lucene")
                retriever.index([tokens_of(p) or [""] for p in have], show_progress=False)
            self._bm25 = (have, retriever)
        have, retriever = self._bm25
        if retriever is None:
            return []
        vocab = retriever.vocab_dict
        known = [t for t in dict.fromkeys(tokens) if t in vocab]
        if not known:
            return []
        scores = retriever.get_scores(known)
        order = np.argsort(-scores, kind="stable")
        return [(have[int(i)], float(scores[i])) for i in order if scores[i] > 0]
