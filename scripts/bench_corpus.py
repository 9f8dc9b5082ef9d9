"""The benchmark corpus: synthetic documents made of real sentences, and real passage vectors cached on disk.

Used by scripts/bench_scale.py and scripts/bench_peer.py. Documents are law-like Markdown (a title, then
第N条 articles of 2–5 real sentences each, so each article becomes one passage), generated from a seed per
document number: document d is the same in every run and for every N, so a larger run starts with the
smaller one's passages and finds their vectors in the cache.

The cache (`data/bench-cache/<model name>/`) maps sha256(text) to the model's float32 vector: `keys.txt`
(one hex key a line) and `vectors.f32` (rows in the same order), appended as new texts are embedded.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import time
from pathlib import Path
from typing import Any

import numpy as np

from graph.text import split_sentences
from graph.vectors import normalise
from ingest.embedding import Embedder

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DEFAULT_LAWS = SHARED / "data" / "lawrefbook-laws"
EVAL_DIR = SHARED / "eval"
DEFAULT_CACHE = ROOT / "data" / "bench-cache"
# Sentences kept for the pool: long enough to carry content, short enough that 2–5 stay under the
# 400-character passage limit (ingest.chunking), so an article is one passage.
_MIN_CHARS, _MAX_CHARS = 10, 150
_ARTICLE = re.compile(r"^第[一二三四五六七八九十百零]+条\s*")
_DIGITS = "零一二三四五六七八九"
# --synthetic: each vector is a real one plus this much Gaussian noise (norm), renormalised: cos ≈ 0.97 to
# its base, so vectors cluster like real ones without being copies (exact copies tie in the indexes).
SYNTHETIC_NOISE = 0.25
SYNTHETIC_POOL_MIN = 1000


def sentence_pool(laws: Path | None = DEFAULT_LAWS) -> list[str]:
    """Distinct real sentences of the shipped policies and the laws, in a fixed order."""
    paths = sorted((ROOT / "corpora" / "policies").glob("*.txt"))
    if laws is not None and laws.is_dir():
        paths += sorted(laws.rglob("*.md"))
    found: list[str] = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            line = _ARTICLE.sub("", line.strip())
            if not line or line.startswith(("#", "<!--")):
                continue
            found.extend(s for s in split_sentences(line) if _MIN_CHARS <= len(s) <= _MAX_CHARS and s[-1] in "。；！？")
    return list(dict.fromkeys(found))


def cn_number(n: int) -> str:
    """1..9999 in Chinese numerals, as law articles are numbered (第二十一条)."""
    if not 0 < n < 10000:
        raise ValueError(n)
    out = ""
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, n = divmod(n, value)
        if digit:
            out += ("" if digit == 1 and unit == "十" and not out else _DIGITS[digit]) + unit
        elif out and n and not out.endswith("零"):
            out += "零"
    return out


def synthetic_document(number: int, pool: list[str], articles: tuple[int, int] = (5, 40)) -> tuple[str, str]:
    """(file name, Markdown text) of benchmark document `number`."""
    rng = random.Random(number)
    lines = [f"# 职业教育政策汇编第{number + 1}号", ""]
    for article in range(1, rng.randint(*articles) + 1):
        body = "".join(rng.sample(pool, rng.randint(2, 5)))
        lines += [f"第{cn_number(article)}条 {body}", ""]
    return f"bench-{number:07d}.md", "\n".join(lines)


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class VectorCache:
    """Real passage vectors on disk, keyed by text hash, one folder per model."""

    def __init__(self, folder: Path, dimension: int) -> None:
        self._folder = folder
        self._dim = dimension
        self._rows: dict[str, int] = {}
        self._vectors = np.zeros((1024, dimension), dtype=np.float32)  # grown by doubling

    def load(self) -> None:
        keys_file, vec_file = self._folder / "keys.txt", self._folder / "vectors.f32"
        if not keys_file.exists() or not vec_file.exists():
            return
        keys = keys_file.read_text(encoding="ascii").split()
        vectors = np.fromfile(vec_file, dtype=np.float32)
        rows = min(len(keys), vectors.size // self._dim)
        if rows != len(keys) or rows * self._dim != vectors.size:  # an interrupted append: cut it off
            keys_file.write_text("".join(k + "\n" for k in keys[:rows]), encoding="ascii")
            with vec_file.open("r+b") as f:
                f.truncate(rows * self._dim * 4)
        self._vectors = np.array(vectors[: rows * self._dim].reshape(rows, self._dim))
        self._rows = {k: i for i, k in enumerate(keys[:rows])}

    def __len__(self) -> int:
        return len(self._rows)

    def get(self, key: str) -> np.ndarray | None:
        row = self._rows.get(key)
        return None if row is None else self._vectors[row]

    def row(self, i: int) -> np.ndarray:
        return self._vectors[i]

    def add(self, keys: list[str], vectors: np.ndarray) -> None:
        fresh = [keys.index(k) for k in dict.fromkeys(keys) if k not in self._rows]
        if not fresh:
            return
        self._folder.mkdir(parents=True, exist_ok=True)
        block = np.ascontiguousarray(vectors[fresh], dtype=np.float32)
        with (self._folder / "vectors.f32").open("ab") as f:
            f.write(block.tobytes())
        with (self._folder / "keys.txt").open("a", encoding="ascii") as f:
            f.write("".join(keys[i] + "\n" for i in fresh))
        start = len(self._rows)
        if start + len(fresh) > len(self._vectors):
            grown = np.zeros((max(2 * len(self._vectors), start + len(fresh)), self._dim), dtype=np.float32)
            grown[:start] = self._vectors[:start]
            self._vectors = grown
        self._vectors[start : start + len(fresh)] = block
        for n, i in enumerate(fresh):
            self._rows[keys[i]] = start + n


class BenchEmbedder:
    """The Embedder the benchmark ingests with: passage vectors from the cache (real ones computed by the
    real model once and cached), or with `synthetic` a cached real vector plus noise; queries always go to
    the real model. Counts the seconds spent in the model, and appends every passage vector it hands out
    to `floor_file` (what the exact-kNN floor searches over)."""

    def __init__(
        self, inner: Embedder, cache: VectorCache, *, synthetic: bool, floor_file: Path | None, append: bool = False
    ) -> None:
        self._inner = inner
        self._cache = cache
        self._synthetic = synthetic
        self._floor = floor_file.open("ab" if append else "wb") if floor_file is not None else None
        self.dimension = inner.dimension
        self.model_s = 0.0
        self.handed_out = 0

    def start(self) -> None:
        self._inner.start()

    def ensure_pool(self, pool: list[str]) -> None:
        """--synthetic needs real vectors to start from: embed pool sentences if the cache has too few."""
        if self._synthetic and len(self._cache) < SYNTHETIC_POOL_MIN:
            self._real(pool[:SYNTHETIC_POOL_MIN])

    def _real(self, texts: list[str]) -> np.ndarray:
        keys = [text_key(t) for t in texts]
        missing = [i for i, k in enumerate(keys) if self._cache.get(k) is None]
        if missing:
            started = time.perf_counter()
            vectors = np.asarray(self._inner.embed_passages([texts[i] for i in missing]), dtype=np.float32)
            self.model_s += time.perf_counter() - started
            self._cache.add([keys[i] for i in missing], vectors)
        return np.stack([self._cache.get(k) for k in keys])  # type: ignore[misc]

    def _noisy(self, text: str) -> np.ndarray:
        key = text_key(text)
        base = self._cache.row(int(key[:15], 16) % len(self._cache))
        noise = np.random.default_rng(int(key[15:30], 16)).standard_normal(self.dimension).astype(np.float32)
        return normalise(base + SYNTHETIC_NOISE * noise / np.sqrt(self.dimension))

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = np.stack([self._noisy(t) for t in texts]) if self._synthetic else self._real(texts)
        if self._floor is not None:
            self._floor.write(np.ascontiguousarray(vectors, dtype=np.float32).tobytes())
        self.handed_out += len(texts)
        return [v.tolist() for v in vectors]

    def embed_query(self, text: str) -> list[float]:
        return self._inner.embed_query(text)

    def close(self) -> None:
        if self._floor is not None:
            self._floor.close()
            self._floor = None


def eval_items() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The search and ask items of ../shared/eval/*.json (empty when the folder is missing)."""
    search: list[dict[str, Any]] = []
    ask: list[dict[str, Any]] = []
    for path in sorted(EVAL_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        search += data.get("search", [])
        ask += data.get("ask", [])
    return search, ask
