"""Answer sentences: how an extractive answer cuts a passage into sentences, and the vectors of those
sentences, kept on disk by text.

An extractive answer scores the sentences of the best passages by their meaning (a bge cosine to the
question). Embedding them when the question comes was most of an answer's cost (docs/benchmarks.md: 78%
of an ask at 100k passages); the pipeline embeds them once, at ingest, and keeps them here, where the
answer finds them. The file is a cache addressed by text and model: deleting it costs only time, a
sentence that is missing is embedded at the question and kept, and a stale entry can never be wrong.
"""

from __future__ import annotations

import hashlib
import logging
import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")
_NUMBERING = re.compile(r"^\s*(?:[（(]?[一二三四五六七八九十\d]+[)）、.．]\s*)+")
log = logging.getLogger(__name__)
MIN_BODY = 4  # shorter sentences are never answer candidates (search_api.ask.extractive checks 4 squashed)


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def strip_numbering(sentence: str) -> str:
    return _NUMBERING.sub("", sentence).strip()


def sentence_bodies(text: str) -> list[str]:
    """The sentences of a passage as the answer embeds them (numbering removed), in order, distinct."""
    bodies = (strip_numbering(s) for s in split_sentences(text))
    return list(dict.fromkeys(b for b in bodies if len(b) >= MIN_BODY))


def file_for(cache_dir: Path, model_ref: str) -> Path:
    """One file per embedding model: vectors of another model are never mixed in."""
    tag = hashlib.sha256(model_ref.encode("utf-8")).hexdigest()[:12]
    return cache_dir / f"sentence-vectors-{tag}.db"


def _key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


class SentenceVectors:
    """text → unit float32 vector, in SQLite (WAL: the CLI's ingest and the server may share it). Opened
    on first use; thread-safe. A file SQLite cannot read or write (damaged, disk full) is logged and
    treated as empty: the answer then embeds its sentences as it did before there was a cache."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")  # a cache: losing the last writes costs only time
            conn.execute("PRAGMA busy_timeout=30000")
            conn.execute("CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vec BLOB NOT NULL) WITHOUT ROWID")
            self._conn = conn
        return self._conn

    def get_many(self, texts: Iterable[str]) -> dict[str, np.ndarray]:
        """The vectors held for these texts (the others are simply absent)."""
        return {t: np.frombuffer(blob, np.float32) for t, blob in self._held(texts, "vec").items()}

    def missing(self, texts: Iterable[str]) -> list[str]:
        """The texts (distinct, in order) that have no vector yet (ingest asks per document: keys only)."""
        wanted = list(dict.fromkeys(texts))
        held = self._held(wanted, "1")
        return [t for t in wanted if t not in held]

    def _held(self, texts: Iterable[str], column: str) -> dict[str, Any]:
        """text → `column` ("vec", or "1" for presence alone) for the texts held."""
        by_key = {_key(t): t for t in dict.fromkeys(texts)}
        keys = list(by_key)
        found: dict[str, Any] = {}
        with self._lock:
            try:
                db = self._db()
                for start in range(0, len(keys), 500):
                    part = keys[start : start + 500]
                    q = f"SELECT key, {column} FROM vectors WHERE key IN ({','.join('?' * len(part))})"
                    for key, value in db.execute(q, part):
                        found[by_key[key]] = value
            except sqlite3.Error as exc:
                log.warning("sentence vectors: cannot read %s (%s); embedding instead", self.path, exc)
                return {}
        return found

    def put_many(self, texts: list[str], vectors: Iterable[list[float] | np.ndarray]) -> None:
        """Keep vectors as the embedder gave them (unit already): the answer scores exactly what it would
        have computed itself."""
        rows = [(_key(t), np.asarray(v, np.float32).tobytes()) for t, v in zip(texts, vectors, strict=True)]
        if not rows:
            return
        with self._lock:
            try:
                db = self._db()
                with _immediate(db):
                    db.executemany("INSERT OR IGNORE INTO vectors VALUES (?, ?)", rows)
            except sqlite3.Error as exc:
                log.warning("sentence vectors: cannot write %s (%s); they will be embedded when asked", self.path, exc)

    def __len__(self) -> int:
        with self._lock:
            return int(self._db().execute("SELECT count(*) FROM vectors").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


@contextmanager
def _immediate(db: sqlite3.Connection) -> Iterator[None]:
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
