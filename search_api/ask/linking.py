"""Finds the graph entities a question names (by name or alias), from a gazetteer cached per graph state."""

from __future__ import annotations

import re
import threading

from pydantic import BaseModel

from graph.models import Node
from graph.store import GraphStore
from graph.text import add_words
from graph.views import name_of, names_of

# Quotes and brackets that policy text puts around brand names (“楚怡”) and questions may or may not.
_NOISE = re.compile(r"[\s“”\"'‘’「」『』《》〈〉【】]")
# Labels worth finding in a question; Target nodes are sentences, not names.
LINKABLE = ("Organization", "Programme", "Region", "IndustryChain", "Industry", "Specialty", "SpecialtyClass")
_MAX_ENTITIES = 200_000
# Catalogue names can be common words (GB/T 4754 has 教育, 农业; the 专业目录 has 护理): in a question
# they are found only when long enough to be meant as names.
_MIN_CHARS = {"Industry": 4, "Specialty": 4, "SpecialtyClass": 4}


def squash(text: str) -> str:
    """Text compared without spaces and quotes, lower-cased (“楚怡”文化传承基地 == 楚怡文化传承基地)."""
    return _NOISE.sub("", text).lower()


class LinkedName(BaseModel):
    """A graph entity a question names, where it names it."""

    node: Node
    surface: str  # the name or alias as written in the gazetteer
    start: int  # offsets in the squashed question
    end: int

    @property
    def name(self) -> str:
        return name_of(self.node) or self.surface


class Gazetteer:
    """Every entity by name and alias. Rebuilt when the graph changes (documents or node counts)."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._key: tuple[object, ...] | None = None
        self._entries: list[tuple[str, str, Node]] = []  # (squashed surface, surface, node), longest first
        self._by_label: dict[str, list[Node]] = {}

    def _fingerprint(self) -> tuple[object, ...]:
        stats = self._store.stats()
        docs = tuple((d.id, d.sha256) for d in self._store.list_documents())
        return (tuple(sorted(stats.nodes.items())), tuple(sorted(stats.relationships.items())), docs)

    def refresh(self) -> None:
        key = self._fingerprint()
        with self._lock:
            if key == self._key:
                return
        nodes = self._store.find_entities("", None, _MAX_ENTITIES)
        entries: list[tuple[str, str, Node]] = []
        by_label: dict[str, list[Node]] = {}
        for node in nodes:
            by_label.setdefault(node.label, []).append(node)
            if node.label not in LINKABLE:
                continue
            for surface in names_of(node):
                key_text = squash(surface)
                if len(key_text) >= _MIN_CHARS.get(node.label, 2):
                    entries.append((key_text, surface, node))
        entries.sort(key=lambda e: (-len(e[0]), e[2].id))
        # Queries must segment names the way ingest did, so jieba learns them here as well.
        add_words(s for _, s, n in entries if n.label in ("Organization", "Programme"))
        with self._lock:
            self._entries = entries
            self._by_label = by_label
            self._key = key

    def of_label(self, label: str) -> list[Node]:
        self.refresh()
        return list(self._by_label.get(label, []))

    def link(self, question: str) -> list[LinkedName]:
        """Longest non-overlapping mentions, in question order. One mention per entity."""
        self.refresh()
        text = squash(question)
        taken = [False] * len(text)
        found: dict[str, LinkedName] = {}
        for key_text, surface, node in self._entries:
            start = text.find(key_text)
            while start != -1:
                end = start + len(key_text)
                if not any(taken[start:end]) and node.id not in found:
                    found[node.id] = LinkedName(node=node, surface=surface, start=start, end=end)
                    for i in range(start, end):
                        taken[i] = True
                start = text.find(key_text, end)
        return sorted(found.values(), key=lambda m: m.start)
