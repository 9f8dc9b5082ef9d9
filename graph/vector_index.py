"""The embedded store's vectors: stored once, as float32 rows appended to one memory-mapped file, searched
exactly (numpy) — and, from ANN_MIN_ROWS (50k), through an HNSW index (faiss IndexHNSWSQ, 8-bit) whose
candidates are re-scored exactly on the float32 rows.

Rows are allocated by the store (SQLite holds which passage has which row); write() puts a vector in
place and fsyncs before the store commits, so a committed row always has its vector. Rows past the
committed count are garbage a crash may leave; the next write overwrites them.

Measured with scripts/bench_embedded_engines.py (2 cores shared, bge-small 512-d, 100k rows, 2k
candidates re-scored): exact search 15-35 ms, growing linearly; faiss HNSW with 8-bit storage
(M 16, efConstruction 64) adds ~4,500 rows/s and answers in 1.7 ms at efSearch 512 with recall@50
0.982. usearch's int8 HNSW measured the same (0.985, 0.9 ms, 12,000 rows/s) but its extension, once
loaded, makes `import onnxruntime` (the query encoder) crash, so faiss it is.
The HNSW index is a cache beside the file: saved now and then with the number of rows it covers,
rebuilt or caught up from the float32 rows at start, in a background thread while exact search answers.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from graph.errors import GraphError
from graph.keyword_index import best_with_ties

# Exact search grows ~linearly: 1.6 ms at 10k rows, 15-35 ms at 100k (one BLAS thread, the shared cores),
# against ~1 ms for the HNSW index at any size; from here on the index answers unfiltered searches.
ANN_MIN_ROWS = 50_000
ANN_FETCH = 2  # candidates fetched per result wanted, re-scored exactly
ANN_EXPANSION_SEARCH = 512
ANN_SAVE_EVERY = 0.25  # save the HNSW index when a quarter of its rows are unsaved
_CHUNK = 10_000
_FILE = "vectors.f32"
INDEX_DIR = "index"  # beside the vector file: the HNSW index, a cache
_ANN_META = "ann.json"  # names the saved HNSW file and how many rows it covers: written last, the commit point
log = logging.getLogger(__name__)


class _OneBlasThread:
    """Exact scans run with BLAS on one thread. A matrix-vector product is bound by memory, and on a
    busy machine OpenBLAS's second thread costs more than it brings: 10k x 512 took 1.6 ms on one
    thread and 10.8 ms on two, with the 2 cores shared (scripts/bench_embedded_engines.py's machine).
    The first search in sets it, the last one out restores what the process had."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._inside = 0
        self._libs: list[Any] | None = None
        self._saved: list[int] = []

    def __enter__(self) -> None:
        with self._lock:
            if self._libs is None:
                try:
                    from threadpoolctl import ThreadpoolController

                    self._libs = [c for c in ThreadpoolController().lib_controllers if c.user_api == "blas"]
                except ImportError:
                    self._libs = []
            if self._inside == 0:
                self._saved = [lib.get_num_threads() for lib in self._libs]
                for lib in self._libs:
                    lib.set_num_threads(1)
            self._inside += 1

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._inside -= 1
            if self._inside == 0:
                for lib, n in zip(self._libs or [], self._saved, strict=True):
                    lib.set_num_threads(n)


_one_blas_thread = _OneBlasThread()


class VectorIndex:
    """Not thread-safe for writes (the store locks); the HNSW build runs in its own thread."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._path = folder / _FILE
        self.dim = 0
        self._rows = 0  # committed rows
        self._fd: int | None = None
        self._matrix = np.zeros((0, 0), np.float32)
        self._valid = np.zeros(0, bool)  # live rows that have a vector
        self._ann: _Ann | None = None

    # -- lifecycle -----------------------------------------------------------------------------------
    def open(self, dim: int, rows: int, valid_rows: np.ndarray) -> None:
        self.dim = dim
        self._rows = rows
        self._valid = np.zeros(max(rows, 1024), bool)
        self._valid[valid_rows] = True
        if dim:
            self._open_file()
            self._map(rows)
            self._ann = _Ann(self._folder / INDEX_DIR, dim)
            self._ann.load()
            self._after_growth()

    def close(self) -> None:
        if self._ann is not None:
            self._ann.close()
            self._ann = None
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        self._matrix = np.zeros((0, 0), np.float32)

    def _open_file(self) -> None:
        self._folder.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o644)

    def _map(self, rows: int) -> None:
        """Map the file with room to grow (remapped only when it fills)."""
        assert self._fd is not None
        if self._matrix.size and rows <= self._matrix.shape[0]:
            return
        need = rows * self.dim * 4
        size = os.fstat(self._fd).st_size  # writes past the mapping may have grown the file already
        capacity = max(need, min(2 * size, size + 256 * 2**20), 1 << 20)
        capacity -= capacity % (self.dim * 4)
        if capacity > size:
            os.ftruncate(self._fd, capacity)
        mapped = np.memmap(self._path, np.float32, "r", shape=(capacity // (self.dim * 4), self.dim))
        self._matrix = mapped.view(np.ndarray)  # the same pages, without memmap's per-slice bookkeeping

    # -- writes --------------------------------------------------------------------------------------
    def write(self, first_row: int, vectors: np.ndarray) -> None:
        """Put vectors (unit float32 rows) at first_row…, durably. Called before the store commits."""
        if not len(vectors):
            return
        if not self.dim:
            self.dim = int(vectors.shape[1])
            self._open_file()
            self._ann = _Ann(self._folder / INDEX_DIR, self.dim)
        if vectors.shape[1] != self.dim:
            raise GraphError(f"an embedding has {vectors.shape[1]} dimensions; this store holds {self.dim}")
        assert self._fd is not None
        os.pwrite(self._fd, np.ascontiguousarray(vectors, np.float32).tobytes(), first_row * self.dim * 4)
        os.fdatasync(self._fd)

    def commit(self, rows: int, added: np.ndarray, removed: np.ndarray) -> None:
        """After the store committed: `rows` allocated in all, `added` rows now hold vectors, `removed` gone."""
        self._rows = rows
        if len(self._valid) < rows:
            grown = np.zeros(max(rows, 2 * len(self._valid)), bool)
            grown[: len(self._valid)] = self._valid
            self._valid = grown
        self._valid[removed] = False
        self._valid[added] = True
        if self.dim:
            self._map(rows)
            self._after_growth()

    def _after_growth(self) -> None:
        if self._ann is not None and self._rows >= ANN_MIN_ROWS:
            self._ann.follow(self._matrix, self._valid, self._rows)

    def maintain(self) -> None:
        if self._ann is not None:
            self._ann.save_if_due()

    def save(self) -> None:
        if self._ann is not None:
            self._ann.save()

    # -- reads ---------------------------------------------------------------------------------------
    @property
    def count(self) -> int:
        return int(self._valid[: self._rows].sum())

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """The k best (row, cosine), best first, plus rows tied with the k-th; exact when filtered."""
        if not self.dim or k <= 0 or query.shape[0] != self.dim:
            return []
        valid = self._valid[: self._rows]
        if allowed is None and self._ann is not None and self._ann.ready and k * ANN_FETCH < len(valid) // 4:
            found = self._ann.search(query, k, valid, self._matrix)
            if found is not None and len(found) >= k:  # else (a sparse neighbourhood) exact answers
                return found
        with _one_blas_thread:
            if allowed is not None:
                rows = np.flatnonzero(valid & _fit(allowed, self._rows))
                return best_with_ties(rows, self._matrix[rows] @ query, k)
            scores = self._matrix[: self._rows] @ query
        rows = np.flatnonzero(valid)
        return best_with_ties(rows, scores[rows], k)


@contextlib.contextmanager
def _omp_threads(n: int) -> Iterator[None]:
    """faiss on n OpenMP threads (callers hold the index lock). One query or a few rows gain nothing from
    a second thread and, on busy cores, lose a lot waiting for it: 23 ms a search on two threads under
    load, against 1.7 ms on one (scripts/bench_embedded_store.py at 100k)."""
    import faiss

    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(n)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)


def _fit(mask: np.ndarray, n: int) -> np.ndarray:
    if len(mask) >= n:
        return mask[:n]
    return np.concatenate([mask, np.zeros(n - len(mask), bool)])


class _Ann:
    """The HNSW index over rows [0, covered) that have a vector; a thread builds and catches it up."""

    def __init__(self, folder: Path, dim: int) -> None:
        self._folder = folder
        self._dim = dim
        self._lock = threading.Lock()
        self._index: Any = None
        self.covered = 0
        self._saved = 0
        self._target = 0
        self._matrix = np.zeros((0, dim), np.float32)
        self._valid = np.zeros(0, bool)
        self._thread: threading.Thread | None = None
        self._closing = False
        self.ready = False

    def _new(self, sample: np.ndarray) -> Any:
        import faiss

        eight_bits: Any = faiss.ScalarQuantizer.QT_8bit  # faiss's stubs type the enum as a ScalarQuantizer
        hnsw = faiss.IndexHNSWSQ(self._dim, eight_bits, 16, faiss.METRIC_INNER_PRODUCT)
        hnsw.hnsw.efConstruction = 64
        hnsw.train(np.ascontiguousarray(sample, np.float32))  # the 8-bit ranges of each dimension
        return faiss.IndexIDMap(hnsw)

    @staticmethod
    def _tune(index: Any) -> Any:
        import faiss

        hnsw: Any = faiss.downcast_index(index.index)
        hnsw.hnsw.efSearch = ANN_EXPANSION_SEARCH
        return index

    def load(self) -> None:
        with contextlib.suppress(OSError, ValueError, KeyError, TypeError, RuntimeError, ImportError):
            info = json.loads((self._folder / _ANN_META).read_text())
            if info["dim"] == self._dim:
                import faiss

                index = self._tune(faiss.read_index(str(self._folder / info["file"])))
                self._index, self.covered, self._saved = index, int(info["covered"]), int(info["covered"])

    def follow(self, matrix: np.ndarray, valid: np.ndarray, rows: int) -> None:
        """Index rows up to `rows`: at once when few are missing, else in the background."""
        with self._lock:
            self._matrix, self._valid, self._target = matrix, valid, rows
            if self._thread is not None and self._thread.is_alive():
                return
            if self._index is not None and rows - self.covered <= _CHUNK:
                with _omp_threads(1):
                    self._add_upto(rows)
                self.ready = True
                return
        self._thread = threading.Thread(target=self._catch_up, name="ann-build", daemon=True)
        self._thread.start()

    def _catch_up(self) -> None:
        try:
            with self._lock:
                if self._index is None:
                    sample = self._matrix[np.flatnonzero(self._valid[: self._target])[:_CHUNK]]
                    self._index = self._tune(self._new(sample))
            while not self._closing:
                with self._lock:
                    if self.covered >= self._target:
                        self.ready = True
                        return
                    self._add_upto(min(self._target, self.covered + _CHUNK))
        except Exception:  # the exact search keeps answering; logged for the operator
            log.exception("building the HNSW index failed; vector search stays exact")

    def _add_upto(self, upto: int) -> None:
        lo = self.covered
        rows = lo + np.flatnonzero(self._valid[lo:upto])
        if len(rows):
            assert self._index is not None
            self._index.add_with_ids(np.ascontiguousarray(self._matrix[rows], np.float32), rows.astype(np.int64))
        self.covered = upto

    def search(
        self, query: np.ndarray, k: int, valid: np.ndarray, matrix: np.ndarray
    ) -> list[tuple[int, float]] | None:
        with self._lock:
            if self._index is None:
                return None
            covered = self.covered
            want = min(int(self._index.ntotal), ANN_FETCH * k + 16)
            with _omp_threads(1):
                _, found = self._index.search(np.ascontiguousarray(query[None, :], np.float32), want)
        rows = found[0][found[0] >= 0].astype(np.int64)
        rows = rows[rows < len(valid)]  # another process may have saved an index ahead of this one
        rows = rows[valid[rows]]
        tail = covered + np.flatnonzero(valid[covered:])  # written since the index last caught up
        rows = np.unique(np.concatenate([rows, tail]))
        with _one_blas_thread:
            scores = matrix[rows] @ query
        return best_with_ties(rows, scores, k)

    def save_if_due(self) -> None:
        if self.ready and self.covered - self._saved > ANN_SAVE_EVERY * max(self._saved, ANN_MIN_ROWS):
            self.save()

    def save(self) -> None:
        with self._lock:
            if self._index is None or self.covered == self._saved:
                return
            self._folder.mkdir(parents=True, exist_ok=True)
            import faiss

            name = f"ann-{self.covered}-{secrets.token_hex(4)}.faiss"  # other processes may save too
            faiss.write_index(self._index, str(self._folder / name))
            with (self._folder / name).open("rb+") as fh:
                os.fsync(fh.fileno())
            meta = self._folder / f"{_ANN_META}.{secrets.token_hex(4)}.tmp"
            with meta.open("w") as fh:
                json.dump({"dim": self._dim, "covered": self.covered, "file": name}, fh)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(meta, self._folder / _ANN_META)
            for old in self._folder.glob("ann-*.faiss"):
                if old.name != name:
                    with contextlib.suppress(OSError):
                        old.unlink()
            self._saved = self.covered

    def close(self) -> None:
        self._closing = True
        if self._thread is not None:
            self._thread.join()
        if self.ready:
            self.save()
