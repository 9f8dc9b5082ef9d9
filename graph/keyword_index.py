"""The embedded store's keyword index: Lucene's BM25 (what Neo4j's full-text index computes) over
pre-segmented tokens, kept in immutable segments the way Lucene keeps them.

Why our own: SQLite FTS5's bm25() has another idf (no 1 +, negative for common terms) and exact
lengths, so it ranks unlike Neo4j; tantivy ranks like Lucene but lives outside SQLite's transactions
and cannot take a filter mask. scripts/bench_embedded_engines.py measured the three.

A passage's postings are stored in SQLite with its row (encode_terms: sorted 64-bit term hashes and
their counts), so what is indexed is always what was committed. In memory, each write adds a small
segment (term hash → rows, counts); segments merge as they pile up (Lucene's tiered merging), and
the large ones are saved as .npy files next to the database and memory-mapped at start. Those files
are a cache: a manifest says up to which store revision they cover, and whatever SQLite holds beyond
that is read back into a fresh segment. A row's postings count in the newest segment that holds it
(`owner`), so a re-tokenised row overrides its older postings and a deleted row simply loses its owner.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import math
import os
import secrets
import shutil
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# Lucene's BM25 defaults (BM25Similarity), as Neo4j's full-text index uses them.
K1 = 1.2
B = 0.75
_FREE = 24  # Lucene's SmallFloat: lengths below this are stored exactly

# Merging policy, measured with scripts/bench_embedded_engines.py at 100k passages (~110 postings a
# passage): FANOUT segments of one size tier merge into one (in memory and on disk alike); in-memory
# postings are saved to a file segment past FLUSH_POSTINGS (about 4,500 passages).
FANOUT = 4
FLUSH_POSTINGS = 500_000
# No merge makes a segment larger than this (~180k passages): a merge holds about 25 bytes a posting
# while it runs, so this bounds it near 500 MB; at 1M passages a query then visits ~6 large segments.
MAX_MERGED = 20_000_000
_MANIFEST = "manifest.json"
_LOCK = ".lock"
_ARRAYS = ("keys", "offsets", "rows", "tfs", "members")


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Saving and loading segment files, one process at a time."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / _LOCK).open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


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


_hash_cache: dict[str, int] = {}


def term_hash(term: str) -> int:
    """A stable 64-bit id for a term (blake2b): the index stores no strings. 10^6 terms collide with
    probability ~3e-8."""
    h = _hash_cache.get(term)
    if h is None:
        h = int.from_bytes(hashlib.blake2b(term.encode("utf-8"), digest_size=8).digest(), "little")
        if len(_hash_cache) > 2_000_000:
            _hash_cache.clear()
        _hash_cache[term] = h
    return h


def encode_terms(tokens: Sequence[str]) -> bytes:
    """A passage's postings as stored in SQLite: its distinct term hashes (uint64, sorted), then their counts
    (uint32). The passage's length (len(tokens)) is stored beside it."""
    counts = Counter(tokens)
    keys = np.fromiter((term_hash(t) for t in counts), dtype=np.uint64, count=len(counts))
    tfs = np.fromiter(counts.values(), dtype=np.uint32, count=len(counts))
    order = np.argsort(keys)
    return keys[order].tobytes() + tfs[order].tobytes()


def _decode(blob: bytes) -> tuple[np.ndarray, np.ndarray]:
    n = len(blob) // 12
    return np.frombuffer(blob, np.uint64, n), np.frombuffer(blob, np.uint32, n, offset=8 * n)


@dataclass(frozen=True, eq=False)  # compared by identity
class Segment:
    """Postings of some rows: for keys[i], rows[offsets[i]:offsets[i+1]] with counts tfs[…]."""

    id: int
    keys: np.ndarray  # uint64, sorted, unique
    offsets: np.ndarray  # int64, len(keys) + 1
    rows: np.ndarray  # int32
    tfs: np.ndarray  # uint16 (a count past 65535 is kept as 65535)
    members: np.ndarray  # int32: the rows whose postings it holds
    name: str = ""  # its folder, once saved

    @property
    def size(self) -> int:
        return len(self.rows)

    @staticmethod
    def from_postings(seg_id: int, keys: np.ndarray, rows: np.ndarray, tfs: np.ndarray, members: np.ndarray) -> Segment:
        """From one (key, row, count) per posting, in any order, and the rows they belong to."""
        order = np.argsort(keys, kind="stable")  # runs of sorted keys: timsort merges them
        keys, rows, tfs = keys[order], rows[order], tfs[order]
        starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1]))) if len(keys) else np.zeros(0, np.int64)
        offsets = np.append(starts, len(keys)).astype(np.int64)
        return Segment(
            seg_id,
            keys[starts] if len(keys) else np.zeros(0, np.uint64),
            offsets,
            rows.astype(np.int32),
            np.minimum(tfs, 65535).astype(np.uint16),
            members.astype(np.int32),
        )

    @staticmethod
    def from_blobs(seg_id: int, rows: Sequence[int], blobs: Sequence[bytes]) -> Segment:
        parts = [_decode(b) for b in blobs]
        keys = np.concatenate([k for k, _ in parts]) if parts else np.zeros(0, np.uint64)
        tfs = np.concatenate([t for _, t in parts]) if parts else np.zeros(0, np.uint32)
        per_row = np.repeat(np.asarray(rows, np.int32), [len(k) for k, _ in parts]) if parts else np.zeros(0, np.int32)
        return Segment.from_postings(seg_id, keys, per_row, tfs, np.asarray(rows, np.int32))

    def lookup(self, key: int) -> slice | None:
        i = int(np.searchsorted(self.keys, np.uint64(key)))
        if i < len(self.keys) and int(self.keys[i]) == key:
            return slice(int(self.offsets[i]), int(self.offsets[i + 1]))
        return None

    def expanded(self, owner: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(key, row, count) of the postings still owned by this segment."""
        counts = np.diff(self.offsets)
        keys = np.repeat(self.keys, counts)
        keep = owner[self.rows] == self.id
        return keys[keep], self.rows[keep], self.tfs[keep]

    def saved(self, folder: Path) -> Segment:
        """Write it to a folder of its own (a unique name: other processes may save too), fsynced; returns
        it memory-mapped from there."""
        name = f"seg-{self.id}-{secrets.token_hex(4)}"
        tmp = folder / f"{name}.tmp"
        tmp.mkdir(parents=True)
        for array in _ARRAYS:
            with (tmp / f"{array}.npy").open("wb") as fh:
                np.save(fh, getattr(self, array))
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, folder / name)
        return Segment.load(folder, self.id, name)

    @staticmethod
    def load(folder: Path, seg_id: int, name: str) -> Segment:
        arrays = {a: np.load(folder / name / f"{a}.npy", mmap_mode="r") for a in _ARRAYS}
        return Segment(seg_id, **arrays, name=name)


class KeywordIndex:
    """BM25 rankings over rows (the store maps rows to passages). Not thread-safe: the store locks."""

    def __init__(self, folder: Path | None = None) -> None:
        self._folder = folder
        self._files: list[Segment] = []  # saved, memory-mapped
        self._small: list[Segment] = []  # since the last save, in memory
        self._next_id = 1
        self._owner = np.full(0, -1, np.int32)
        self._lengths = np.zeros(0, np.float32)  # Lucene's stored (quantised) length per row
        self._raw = np.zeros(0, np.int64)  # exact lengths, for the average
        self._docs = 0
        self._total_length = 0
        self.covered_revision = 0  # the saved segments reflect the store up to this revision

    # -- loading -----------------------------------------------------------------------------------
    def load_files(self) -> int:
        """Memory-map the saved segments; returns the revision they cover (0: none). Unknown files go."""
        if self._folder is None or not (self._folder / _MANIFEST).exists():
            return 0
        with _locked(self._folder):
            try:
                manifest = json.loads((self._folder / _MANIFEST).read_text())
                self._files = [Segment.load(self._folder, i, name) for i, name in manifest["segments"]]
                self.covered_revision = int(manifest["revision"])
                self._next_id = int(manifest["next_id"])
            except (OSError, ValueError, KeyError, TypeError):  # a cache: rebuilt from SQLite when unreadable
                self._files, self.covered_revision, self._next_id = [], 0, 1
        return self.covered_revision

    def set_rows(self, rows: np.ndarray, lengths: np.ndarray) -> None:
        """The live rows and their lengths (from SQLite, at start); file segments own their members."""
        size = int(rows.max()) + 1 if len(rows) else 0
        self._grow(size)
        live = np.zeros(len(self._owner), bool)
        live[rows] = True
        for seg in self._files:
            self._owner[seg.members] = seg.id
        self._owner[~live] = -1
        self._raw[rows] = lengths
        self._lengths[rows] = _quantise(lengths)
        self._recount()

    # -- writes ------------------------------------------------------------------------------------
    def add(self, rows: Sequence[int], blobs: Sequence[bytes], lengths: Sequence[int]) -> None:
        """Index (or re-index) rows; rows with no tokens are left out, as Lucene leaves out empty fields."""
        kept = [(r, b, n) for r, b, n in zip(rows, blobs, lengths, strict=True) if n > 0]
        self.remove([r for r, _, n in zip(rows, blobs, lengths, strict=True) if n == 0])
        if not kept:
            return
        seg = Segment.from_blobs(self._new_id(), [r for r, _, _ in kept], [b for _, b, _ in kept])
        self._grow(max(r for r, _, _ in kept) + 1)
        for r, _, n in kept:
            if self._owner[r] >= 0:
                self._docs -= 1
                self._total_length -= int(self._raw[r])
            self._owner[r] = seg.id
            self._raw[r] = n
            self._lengths[r] = lucene_length(n)
            self._docs += 1
            self._total_length += n
        self._small = self._tiered([*self._small, seg], persist=False)

    def remove(self, rows: Iterable[int]) -> None:
        for r in rows:
            if r < len(self._owner) and self._owner[r] >= 0:
                self._owner[r] = -1
                self._docs -= 1
                self._total_length -= int(self._raw[r])

    def compact(self) -> None:
        """Merge the in-memory segments into one (after a bulk load)."""
        if len(self._small) > 1:
            self._small = [self._merge(self._small)]

    def maintain(self, revision: int) -> None:
        """Save in-memory postings past FLUSH_POSTINGS and merge file segments (call after a commit)."""
        if self._folder is None or sum(s.size for s in self._small) < FLUSH_POSTINGS:
            return
        self.save(revision)

    def save(self, revision: int) -> None:
        """Write every in-memory segment to one file segment; the files then cover `revision`."""
        folder = self._folder
        if folder is None or (not self._small and revision == self.covered_revision):
            return
        with _locked(folder):
            on_disk = _manifest_revision(folder)
            if on_disk > revision:  # another process saved a later state; SQLite has everything ours holds
                return
            if self._small:
                self._files.append(self._merge(self._small).saved(folder))
                self._small = []
            self._files = self._tiered(self._files, persist=True)
            # A process that saved meanwhile may have removed files this one still maps: write them again.
            self._files = [s if (folder / s.name).is_dir() else s.saved(folder) for s in self._files]
            self.covered_revision = revision
            manifest = {
                "revision": revision,
                "next_id": self._next_id,
                "segments": [[s.id, s.name] for s in self._files],
            }
            tmp = folder / f"{_MANIFEST}.{secrets.token_hex(4)}.tmp"
            with tmp.open("w") as fh:
                json.dump(manifest, fh)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, folder / _MANIFEST)
            self._remove_unlisted()

    def _tiered(self, segments: list[Segment], persist: bool) -> list[Segment]:
        """Merge FANOUT segments of one size tier (sizes within a factor FANOUT) until no tier holds that
        many, as Lucene's tiered policy: every posting is rewritten about log_FANOUT(N) times in all."""
        while True:
            tiers: dict[int, list[Segment]] = {}
            for seg in segments:
                tiers.setdefault(int(math.log(max(seg.size, 1), FANOUT)), []).append(seg)
            full = sorted(
                t
                for t, group in tiers.items()
                if len(group) >= FANOUT and sum(s.size for s in group[:FANOUT]) <= MAX_MERGED
            )
            if not full:
                return segments
            group = tiers[full[0]][:FANOUT]
            merged = self._merge(group)
            if persist:
                assert self._folder is not None
                merged = merged.saved(self._folder)
            segments = [s for s in segments if s not in group] + [merged]

    def _merge(self, segments: list[Segment]) -> Segment:
        parts = [s.expanded(self._owner) for s in segments]
        merged = Segment.from_postings(
            self._new_id(),
            np.concatenate([p[0] for p in parts]),
            np.concatenate([p[1] for p in parts]),
            np.concatenate([p[2] for p in parts]),
            np.concatenate([s.members[self._owner[s.members] == s.id] for s in segments]),
        )
        self._owner[merged.members] = merged.id
        return merged

    # -- reads -------------------------------------------------------------------------------------
    @property
    def documents(self) -> int:
        return self._docs

    def scores(self, tokens: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
        """(rows, BM25 scores) of the rows matching any token; repeated tokens count once."""
        keys = [term_hash(t) for t in dict.fromkeys(tokens)]
        if not keys or self._docs == 0:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        avgdl = np.float32(self._total_length / self._docs)  # Lucene: sumTotalTermFreq / docCount, as a float
        segments = [*self._files, *self._small]
        all_rows: list[np.ndarray] = []
        all_scores: list[np.ndarray] = []
        for key in keys:
            rows_parts, tf_parts = [], []
            for seg in segments:
                span = seg.lookup(key)
                if span is None:
                    continue
                rows, tfs = seg.rows[span], seg.tfs[span]
                keep = self._owner[rows] == seg.id
                rows_parts.append(rows[keep])
                tf_parts.append(tfs[keep])
            if not rows_parts:
                continue
            rows = np.concatenate(rows_parts)
            if not len(rows):
                continue
            tfs = np.concatenate(tf_parts).astype(np.float32)
            df = len(rows)
            idf = np.float32(np.log(1.0 + (self._docs - df + 0.5) / (df + 0.5)))
            # Lucene's BM25Scorer: weight - weight / (1 + freq * normInverse), in floats.
            norm_inverse = np.float32(1.0) / (
                np.float32(K1) * (np.float32(1 - B) + np.float32(B) * self._lengths[rows] / avgdl)
            )
            all_rows.append(rows)
            all_scores.append(idf - idf / (np.float32(1.0) + tfs * norm_inverse))
        if not all_rows:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        rows = np.concatenate(all_rows)
        summed = np.bincount(rows, weights=np.concatenate(all_scores).astype(np.float64))
        hit = np.flatnonzero(summed)
        return hit, summed[hit].astype(np.float32)

    def rows_with_all(self, keys: Sequence[int]) -> np.ndarray:
        """The indexed rows that hold every one of the term hashes."""
        found: np.ndarray | None = None
        for key in keys:
            parts = []
            for seg in [*self._files, *self._small]:
                span = seg.lookup(key)
                if span is not None:
                    rows = seg.rows[span]
                    parts.append(rows[self._owner[rows] == seg.id])
            here = np.unique(np.concatenate(parts)) if parts else np.zeros(0, np.int32)
            found = here if found is None else np.intersect1d(found, here, assume_unique=True)
            if not len(found):
                break
        return found if found is not None else np.zeros(0, np.int32)

    def top(self, tokens: Iterable[str], k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """The k best (row, score), best first, plus every row tied with the k-th (the caller orders ties)."""
        rows, scores = self.scores(tokens)
        if allowed is not None and len(rows):
            keep = allowed[rows] if len(allowed) > int(rows.max()) else _mask_get(allowed, rows)
            rows, scores = rows[keep], scores[keep]
        return best_with_ties(rows, scores, k)

    # -- helpers -----------------------------------------------------------------------------------
    def _new_id(self) -> int:
        self._next_id += 1
        return self._next_id - 1

    def _grow(self, size: int) -> None:
        if size <= len(self._owner):
            return
        cap = max(size, 2 * len(self._owner), 1024)
        self._owner = np.concatenate([self._owner, np.full(cap - len(self._owner), -1, np.int32)])
        self._lengths = np.concatenate([self._lengths, np.zeros(cap - len(self._lengths), np.float32)])
        self._raw = np.concatenate([self._raw, np.zeros(cap - len(self._raw), np.int64)])

    def _recount(self) -> None:
        owned = self._owner >= 0
        self._docs = int(owned.sum())
        self._total_length = int(self._raw[owned].sum())

    def _remove_unlisted(self) -> None:
        if self._folder is None or not self._folder.is_dir():
            return
        listed = {s.name for s in self._files}
        for path in self._folder.iterdir():
            if (path.name.startswith("seg-") or path.name.endswith(".tmp")) and path.name not in listed:
                with contextlib.suppress(OSError):
                    shutil.rmtree(path) if path.is_dir() else path.unlink()


def _manifest_revision(folder: Path) -> int:
    try:
        return int(json.loads((folder / _MANIFEST).read_text())["revision"])
    except (OSError, ValueError, KeyError):
        return 0


def _quantise(lengths: np.ndarray) -> np.ndarray:
    """lucene_length over an array."""
    n = np.asarray(lengths, np.int64)
    rest = np.maximum(n - _FREE, 0)
    bits = np.zeros_like(rest)
    positive = rest > 0
    bits[positive] = np.floor(np.log2(rest[positive])).astype(np.int64) + 1
    shift = np.maximum(bits - 4, 0)
    return np.where(n < _FREE, n, _FREE + ((rest >> shift) << shift)).astype(np.float32)


def _mask_get(mask: np.ndarray, rows: np.ndarray) -> np.ndarray:
    out = np.zeros(len(rows), bool)
    inside = rows < len(mask)
    out[inside] = mask[rows[inside]]
    return out


def best_with_ties(rows: np.ndarray, scores: np.ndarray, k: int) -> list[tuple[int, float]]:
    """The k highest (row, score) pairs, best first, and every other pair tied with the k-th."""
    if k <= 0 or not len(rows):
        return []
    if len(rows) > k:
        kth = np.partition(scores, len(scores) - k)[len(scores) - k]
        keep = scores >= kth
        rows, scores = rows[keep], scores[keep]
    order = np.argsort(-scores, kind="stable")
    return [(int(rows[i]), float(scores[i])) for i in order]
