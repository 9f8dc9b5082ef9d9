"""Everyday words → the words statutes use (加班 → 延长工作时间, 工资 → 劳动报酬), from the reviewed thesaurus
corpora/knowledge/thesaurus.csv (term,synonyms,source; synonyms separated by |). Each row is a group of
words meaning the same; a query word of a group brings the group's other words, which keyword retrieval
searches as a second, lighter list (search_api.hybrid).

Read on first use, never at import. The table is the ingest side's (ingest.knowledge); this reader only
needs its rows.
"""

from __future__ import annotations

import csv
import threading
from pathlib import Path

from ingest.errors import KnowledgeInvalid

THESAURUS_FILE = "thesaurus.csv"
MIN_CHARS = 2  # a one-character word (钱, 周) matches inside too many others


def load_groups(path: Path) -> list[list[str]]:
    """The groups of the table ([] when it is not there); every row needs its source note."""
    if not path.exists():
        return []
    groups = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            term = (row.get("term") or "").strip()
            synonyms = [s.strip() for s in (row.get("synonyms") or "").split("|") if s.strip()]
            if not term or not synonyms or not (row.get("source") or "").strip():
                raise KnowledgeInvalid(f"{path.name} line {line}: term, synonyms and a source note are all needed")
            groups.append(list(dict.fromkeys([term, *synonyms])))
    return groups


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
