"""Turns passage ids into citations, and finds the passages that state given names."""

from __future__ import annotations

from graph.models import Node
from graph.store import GraphStore
from graph.views import as_document, as_passage, display_name
from search_api.ask.linking import squash
from search_api.ask.schemas import Citation, NodeRef
from search_api.references.catalogue import Library


def node_ref(node: Node) -> NodeRef:
    return NodeRef(id=node.id, label=node.label, name=display_name(node))


class AnswerEvidence:
    """The passages an answer rests on, read from the store."""

    def __init__(self, store: GraphStore, library: Library | None = None) -> None:
        self._store = store
        self._library = library

    def citations(self, passage_ids: list[str], limit: int = 5) -> list[Citation]:
        """Citations for the given passages (unknown ids skipped, duplicates dropped), in the given order.
        Two reads: the passages, then their documents."""
        found = self._store.get_nodes(list(dict.fromkeys(passage_ids)))
        passages = [
            as_passage(n) for pid in dict.fromkeys(passage_ids) if (n := found.get(pid)) and n.label == "Passage"
        ]
        passages = passages[:limit]
        docs = self._store.get_nodes(list(dict.fromkeys(p.doc_id for p in passages if p.doc_id)))
        titles = {doc_id: as_document(doc).title for doc_id, doc in docs.items()}
        out: list[Citation] = []
        for passage in passages:
            pid, doc_id = passage.id, passage.doc_id
            version = self._library.version(doc_id) if self._library is not None else None
            out.append(
                Citation(
                    passage_id=pid,
                    text=passage.text,
                    document_title=titles.get(doc_id, ""),
                    document_id=doc_id,
                    section=passage.section_path,
                    document_version=version.version_label if version else "",
                    document_status=version.status if version else "current",
                )
            )
        return out

    def containing(self, phrases: list[str], limit: int = 3, doc_id: str | None = None) -> list[str]:
        """Passages whose text contains every phrase (compared without spaces and quotes)."""
        wanted = [squash(p) for p in phrases if squash(p)]
        if not wanted:
            return []
        tokens = [t for p in phrases for t in self._store.tokenizer.search_tokens(p)]
        hits = self._store.keyword_search(tokens, 50)
        found = [
            h.passage.id
            for h in hits
            if all(w in squash(h.passage.text) for w in wanted) and (doc_id is None or h.passage.doc_id == doc_id)
        ]
        return found[:limit]
