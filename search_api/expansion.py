"""Everyday words → the words statutes use (加班 → 延长工作时间, 工资 → 劳动报酬), from the reviewed thesaurus
corpora/knowledge/thesaurus.csv (term,synonyms,source; synonyms separated by |). Each row is a group of
words meaning the same; a query word of a group brings the group's other words, which keyword retrieval
searches as a second, lighter list (search_api.hybrid).

Read on first use, never at import. The table is the ingest side's (ingest.knowledge); this reader only
needs its rows.
"""

from __future__ import annotations

import threading
from pathlib import Path

from ingest.knowledge import THESAURUS_FILE, read_thesaurus

__all__ = ["THESAURUS_FILE", "Thesaurus", "load_groups"]
MIN_CHARS = 2  # a one-character word (钱, 周) matches inside too many others


def load_groups(path: Path) -> list[list[str]]:
    """The groups of the table ([] when it is not there), each its term and synonyms, read by ingest's reader."""
    return [list(dict.fromkeys([row.term, *row.synonyms])) for row in read_thesaurus(path)]


class Thesaurus:
    def __init__(self, path: Path | None = None, groups: list[list[str]] | None = None) -> None:
        self._path = path
        self._groups = groups
        self._lock = threading.Lock()

    def groups(self) -> list[list[str]]:
        with self._lock:
            if self._groups is None:
                self._groups = load_groups(self._path) if self._path else []
            return self._groups

    def expand(self, query: str) -> list[str]:
        """The words the query's thesaurus words stand for, minus those it already has, in table order."""
        text = query.lower()
        out: list[str] = []
        for group in self.groups():
            if any(len(w) >= MIN_CHARS and w.lower() in text for w in group):
                out.extend(w for w in group if w.lower() not in text and w not in out)
        return out
