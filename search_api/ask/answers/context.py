"""What every graph answer needs: the store, the gazetteer, the evidence reader, and small readers
over them (nodes by id, an edge as a fact, the document a question is about)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import BaseModel, Field

from graph.models import Document, Edge, Node
from graph.store import GraphStore
from search_api.ask.evidence import AnswerEvidence, node_ref
from search_api.ask.linking import Gazetteer, squash
from search_api.ask.schemas import Fact
from search_api.references.catalogue import Library
from search_api.retrieval import LibraryRetriever
from search_api.revision import RevisionCache


class GraphAnswer(BaseModel):
    text: str
    facts: list[Fact] = Field(default_factory=list)
    evidence: list[str] = Field(default_factory=list)  # passage ids, most important first


def evidence_of(edges: Iterable[Edge]) -> list[str]:
    """The passage ids the edges were read from, in edge order."""
    return [p for e in edges for p in e.evidence]


@dataclass(frozen=True)
class AnswerContext:
    store: GraphStore
    gazetteer: Gazetteer
    evidence: AnswerEvidence
    retriever: LibraryRetriever
    # Every Target's SETS_TARGET relationships (who sets it), read once per store revision: a count
    # question scores every target (1,103 at 100k passages, 1,854 relationships: 65-110 ms to read).
    owners: RevisionCache[dict[str, list[Edge]]] | None = None
    scope: str | None = None  # the document the question is about, when the request or its wording says

    @property
    def library(self) -> Library:
        return self.retriever.library

    def nodes(self, ids: Iterable[str]) -> dict[str, Node]:
        """The nodes that exist among the ids, by id (one read), in the order of the ids."""
        wanted = list(dict.fromkeys(ids))
        found = self.store.get_nodes(wanted)
        return {i: found[i] for i in wanted if i in found}

    def target_owners(self) -> dict[str, list[Edge]]:
        """Target id → the SETS_TARGET relationships that reach it."""
        if self.owners is not None:
            return self.owners.get()
        targets = [n.id for n in self.gazetteer.of_label("Target")]
        return self.store.edges_of_many(targets, ["SETS_TARGET"], "in")

    def edge_facts(self, edges: Iterable[Edge], nodes: dict[str, Node]) -> list[Fact]:
        """The edges as facts; an edge with an end missing from `nodes` is left out."""
        facts = []
        for edge in edges:
            src, dst = nodes.get(edge.source), nodes.get(edge.target)
            if src is not None and dst is not None:
                facts.append(
                    Fact(subject=node_ref(src), predicate=edge.type, object=node_ref(dst), evidence=edge.evidence)
                )
        return facts

    def pick_document(self, question: str) -> Document | None:
        """The document a question is about: the one it is scoped to, the one whose title it quotes, the
        only one, or the one holding the passage that best answers it."""
        docs = self.library.stored_documents()
        if not docs:
            return None
        if self.scope is not None:
            scoped = next((d for d in docs if d.id == self.scope), None)
            if scoped is not None:
                return scoped
        q = squash(question)
        titled = [d for d in docs if d.title and squash(d.title) in q]
        if titled:
            return max(titled, key=lambda d: len(d.title))
        if len(docs) == 1:
            return docs[0]
        best = self.retriever.retrieve(question, 1)
        if best:
            chosen = best[0].hit.passage.doc_id
            return next((d for d in docs if d.id == chosen), docs[0])
        return docs[0]
