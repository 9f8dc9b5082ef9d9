"""Values derived from the store, kept until the store's revision moves.

`GraphStore.revision()` changes on every committed write (any process) and stays put between writes, so
one cheap read of it tells a cache whether what it derived (the gazetteer, the library's versions, the
matching index, document frequencies) is still the store's; no per-question fingerprint of the graph.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from graph.store import GraphStore

T = TypeVar("T")


class RevisionCache(Generic[T]):
    """One value built from the store, rebuilt only when store.revision() differs from the one it was
    built at (or after invalidate()).

    The revision is read before the build, so a write that lands during a build leaves the value under
    the older revision and the next get() rebuilds: a value is never filed under a newer revision than
    the data it was read from. Builds are serialised (concurrent callers wait for the one build)."""

    def __init__(self, store: GraphStore, build: Callable[[], T]) -> None:
        self._store = store
        self._build = build
        self._lock = threading.Lock()
        self._value: T | None = None
        self._revision: int | None = None
        self.builds = 0  # how many times the value was built (tests and benchmarks read it)

    def get(self) -> T:
        revision = self._store.revision()
        with self._lock:
            if self._value is None or self._revision != revision:
                self._value = self._build()
                self._revision = revision
                self.builds += 1
            return self._value

    def peek(self) -> T | None:
        """The value as last built, without looking at the store (None before the first get)."""
        return self._value

    def invalidate(self) -> None:
        with self._lock:
            self._value = None
            self._revision = None
