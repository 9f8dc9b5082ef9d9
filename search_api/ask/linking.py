"""Finds the graph entities a question names (by name or alias), from a gazetteer kept per store revision."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import BaseModel

from graph.models import Node
from graph.store import GraphStore
from graph.views import name_of, names_of
from search_api.revision import RevisionCache

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


@dataclass(frozen=True)
class _Names:
    entries: list[tuple[str, str, Node]]  # (squashed surface, surface, node), longest first
    by_label: dict[str, list[Node]]


class Gazetteer:
    """Every entity by name and alias, rebuilt only when the store's revision moves (any write)."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store
        self._names = RevisionCache(store, self._build)

    @property
    def builds(self) -> int:
        """How many times the gazetteer was built (once per store revision that was asked about)."""
        return self._names.builds

    def refresh(self) -> None:
        self._names.get()

    def _build(self) -> _Names:
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
        # Queries must segment names the way ingest did, so the store's tokenizer learns them here as well.
        self._store.tokenizer.add_words(s for _, s, n in entries if n.label in ("Organization", "Programme"))
        return _Names(entries=entries, by_label=by_label)

    def of_label(self, label: str) -> list[Node]:
        return list(self._names.get().by_label.get(label, []))

    def link(self, question: str) -> list[LinkedName]:
        """Longest non-overlapping mentions, in question order. One mention per entity."""
        entries = self._names.get().entries
        text = squash(question)
        taken = [False] * len(text)
        found: dict[str, LinkedName] = {}
        for key_text, surface, node in entries:
            start = text.find(key_text)
            while start != -1:
                end = start + len(key_text)
                if not any(taken[start:end]) and node.id not in found:
                    found[node.id] = LinkedName(node=node, surface=surface, start=start, end=end)
                    for i in range(start, end):
                        taken[i] = True
                start = text.find(key_text, end)
        return sorted(found.values(), key=lambda m: m.start)
