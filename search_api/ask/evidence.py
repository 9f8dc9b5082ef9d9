"""Turns passage ids into citations, and finds the passages that state given names."""

from __future__ import annotations

from graph.models import Node
from graph.store import GraphStore
from graph.text import search_tokens
from search_api.ask.linking import squash
from search_api.ask_schemas import Citation, EntityRef


def entity_ref(node: Node) -> EntityRef:
    return EntityRef(id=node.id, label=node.label, name=display_name(node))


def display_name(node: Node) -> str:
    props = node.properties
    for key in ("name", "title", "heading", "text"):
        value = props.get(key)
        if isinstance(value, str) and value:
            return value if key != "text" else value[:40]
    return node.id


class Evidence:
    def __init__(self, store: GraphStore) -> None:
        self._store = store

    def citations(self, passage_ids: list[str], limit: int = 5) -> list[Citation]:
        """Citations for the given passages (unknown ids skipped, duplicates dropped), in the given order."""
        out: list[Citation] = []
        titles: dict[str, str] = {}
        for pid in dict.fromkeys(passage_ids):
            if len(out) >= limit:
                break
            node = self._store.get_node(pid)
            if node is None or node.label != "Passage":
                continue
            doc_id = str(node.properties.get("doc_id") or "")
            if doc_id not in titles:
                doc = self._store.get_node(doc_id) if doc_id else None
                titles[doc_id] = str(doc.properties.get("title") or "") if doc else ""
            out.append(
                Citation(
                    passage_id=pid,
                    text=str(node.properties.get("text") or ""),
                    document_title=titles[doc_id],
                    document_id=doc_id,
                    section=str(node.properties.get("section_path") or ""),
                )
            )
        return out

    def containing(self, phrases: list[str], limit: int = 3, doc_id: str | None = None) -> list[str]:
        """Passages whose text contains every phrase (compared without spaces and quotes)."""
        wanted = [squash(p) for p in phrases if squash(p)]
        if not wanted:
            return []
        tokens = [t for p in phrases for t in search_tokens(p)]
        hits = self._store.keyword_search(tokens, 50)
        found = [
            h.passage.id
            for h in hits
            if all(w in squash(h.passage.text) for w in wanted) and (doc_id is None or h.passage.doc_id == doc_id)
        ]
        return found[:limit]
