"""Embeddings of reference names (专业, 行业, 产业链), computed once and kept.

Matching compares ~1,350 专业 names with ~2,000 行业 names and the chains; embedding them per request
would cost seconds. The cache holds them in memory after first use and persists them in the data
folder (one .npz per embedding model), so a restart or another process reuses them.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from pathlib import Path

import numpy as np

from graph.vectors import normalise
from ingest.embedding import Embedder

_RECENT_MAX = 2048


class NameVectors:
    """text → normalised vector, for names. Thread-safe; persists under `cache_dir` when given."""

    def __init__(self, embedder: Embedder, model_ref: str, cache_dir: Path | None) -> None:
        self._embedder = embedder
        self._file = None
        if cache_dir is not None:
            tag = hashlib.sha256(model_ref.encode("utf-8")).hexdigest()[:12]
            self._file = cache_dir / f"name-vectors-{tag}.npz"
        self._vectors: dict[str, np.ndarray] = {}
        self._recent: dict[str, np.ndarray] = {}
        self._loaded = False
        self._lock = threading.Lock()

    def matrix(self, texts: list[str]) -> np.ndarray:
        """Rows in the order of `texts`; embeds (in one batch) and persists only the texts not seen before."""
        with self._lock:
            self._load_once()
            missing = sorted({t for t in texts if t not in self._vectors})
            if missing:
                for text, vec in zip(missing, self._embedder.embed_passages(missing), strict=True):
                    self._vectors[text] = normalise(vec)
                self._save()
            if not texts:
                return np.zeros((0, self._embedder.dimension), dtype=np.float32)
            return np.stack([self._vectors[t] for t in texts])

    def transient(self, texts: list[str]) -> np.ndarray:
        """Vectors for one-off texts (a user's query): embedded now, kept in memory (bounded), never persisted."""
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._vectors and t not in self._recent]
            if missing:
                if len(self._recent) + len(missing) > _RECENT_MAX:
                    self._recent.clear()
                for text, vec in zip(missing, self._embedder.embed_passages(missing), strict=True):
                    self._recent[text] = normalise(vec)
            if not texts:
                return np.zeros((0, self._embedder.dimension), dtype=np.float32)
            return np.stack([self._vectors[t] if t in self._vectors else self._recent[t] for t in texts])

    def __len__(self) -> int:
        return len(self._vectors)

    def _load_once(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        if self._file is None or not self._file.exists():
            return
        try:
            with np.load(self._file, allow_pickle=False) as data:
                texts = [str(t) for t in data["texts"]]
                matrix = data["vectors"]
        except (OSError, KeyError, ValueError):
            return  # a damaged cache is rebuilt, not fatal
        if len(texts) == len(matrix):
            self._vectors.update({t: matrix[i] for i, t in enumerate(texts)})

    def _save(self) -> None:
        if self._file is None:
            return
        self._file.parent.mkdir(parents=True, exist_ok=True)
        texts = sorted(self._vectors)
        fd, tmp = tempfile.mkstemp(prefix=".name-vectors-", suffix=".npz", dir=self._file.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                np.savez(fh, texts=np.array(texts), vectors=np.stack([self._vectors[t] for t in texts]))
            os.replace(tmp, self._file)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
