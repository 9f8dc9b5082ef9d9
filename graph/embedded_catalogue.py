"""What the embedded store keeps in memory about its graph besides the indexes: every document, every
entity (for find_entities and issuer filters, without scanning passages), and counts by label and
relationship type (stats). Loaded from SQLite at start, then updated from each write's Changes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Literal

from graph.models import ENTITY_LABELS, Document, Node
from graph.nx_queries import to_node
from graph.persistence import Changes, Database, NodeRow
from graph.rules import aliases_of

_ENTITY = frozenset(ENTITY_LABELS)


@dataclass(frozen=True)
class _Entity:
    node: Node
    name: str
    lowered: str
    aliases: tuple[str, ...]
    lowered_aliases: tuple[str, ...]


def _entity(node_id: str, row: NodeRow) -> _Entity:
    node = to_node(node_id, row)
    name = str(node.properties.get("name", ""))
    aliases = tuple(aliases_of(node.properties))
    return _Entity(node, name, name.lower(), aliases, tuple(a.lower() for a in aliases))


def _document(node_id: str, row: NodeRow) -> Document:
    return Document(id=node_id, **row.props)


# Document fields looked up by value (a library holds tens of thousands: no scan per ingested file).
DocumentKey = Literal["sha256", "text_sha256", "work"]
_KEYS: tuple[DocumentKey, ...] = ("sha256", "text_sha256", "work")


class Catalogue:
    def __init__(self) -> None:
        self.documents: dict[str, Document] = {}
        self._documents_by: dict[DocumentKey, dict[str, set[str]]] = {k: {} for k in _KEYS}
        self.entities: dict[str, _Entity] = {}
        self.node_counts: Counter[str] = Counter()
        self.rel_counts: Counter[str] = Counter()

    def documents_with(self, key: DocumentKey, value: str) -> list[Document]:
        """The documents whose `key` field is `value`, as list_documents orders them (title, id)."""
        found = [self.documents[i] for i in self._documents_by[key].get(value, ())]
        return sorted(found, key=lambda d: (d.title, d.id))

    def _set_document(self, node_id: str, doc: Document | None) -> None:
        old = self.documents.pop(node_id, None)
        for key in _KEYS:
            if old is not None and (value := getattr(old, key)):
                self._documents_by[key][value].discard(node_id)
            if doc is not None and (value := getattr(doc, key)):
                self._documents_by[key].setdefault(value, set()).add(node_id)
        if doc is not None:
            self.documents[node_id] = doc

    def load(self, db: Database) -> None:
        self.documents = {}
        self._documents_by = {k: {} for k in _KEYS}
        for i, r in db.nodes_with_labels(["Document"]):
            self._set_document(i, _document(i, r))
        self.entities = {i: _entity(i, r) for i, r in db.nodes_with_labels(sorted(_ENTITY))}
        self.node_counts = Counter(db.label_counts())
        self.rel_counts = Counter(db.type_counts())

    def apply(self, changes: Changes) -> None:
        for node_id, row in changes.nodes.items():
            before = changes.labels_before.get(node_id)
            after = row.label if row is not None else None
            if before != after:
                if before is not None:
                    self.node_counts[before] -= 1
                if after is not None:
                    self.node_counts[after] += 1
            is_document = row is not None and row.label == "Document"
            self._set_document(node_id, _document(node_id, row) if row is not None and is_document else None)
            self.entities.pop(node_id, None)
            if row is not None and row.label in _ENTITY:
                self.entities[node_id] = _entity(node_id, row)
        for _s, rel_type, _t in changes.rels_added:
            self.rel_counts[rel_type] += 1
        for _s, rel_type, _t in changes.rels_removed:
            self.rel_counts[rel_type] -= 1

    def find_entities(self, q: str, label: str | None, limit: int) -> list[Node]:
        """graph.rules.sort_entity_matches over the entities, with their names lower-cased once."""
        q = q.strip().lower()
        ranked: list[tuple[int, int, str, Node]] = []
        for e in self.entities.values():
            if label is not None and e.node.label != label:
                continue
            if e.lowered == q or q in e.lowered_aliases:
                rank = 0
            elif q in e.lowered:
                rank = 1
            elif any(q in a for a in e.lowered_aliases):
                rank = 2
            else:
                continue
            ranked.append((rank, len(e.name), e.node.id, e.node))
        ranked.sort(key=lambda t: t[:3])
        return [t[3].model_copy(deep=True) for t in ranked[:limit]]

    def ids_named(self, names: set[str]) -> set[str]:
        """Entities whose name or one of whose aliases is one of names (exactly)."""
        return {i for i, e in self.entities.items() if e.name in names or names.intersection(e.aliases)}
