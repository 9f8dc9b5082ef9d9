"""Answers to relationship questions, read from the graph: one module per kind of question, the
Chinese sentences in `wording`. Each returns None when the graph does not hold the facts (the caller
then answers extractively), so a partly extracted graph never gives a wrong "no" — only a less
structured answer."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from graph.models import Edge
from graph.store import GraphStore
from search_api.ask.answers import alias, carriers, count, issuer, link, org_tasks
from search_api.ask.answers.context import AnswerContext, GraphAnswer
from search_api.ask.evidence import AnswerEvidence
from search_api.ask.linking import Gazetteer, LinkedName
from search_api.ask.schemas import Intent
from search_api.retrieval import LibraryRetriever
from search_api.revision import RevisionCache

Answer = Callable[[AnswerContext, str, list[LinkedName]], GraphAnswer | None]
ANSWERS: dict[str, Answer] = {
    "issuer": issuer.answer,
    "count": count.answer,
    "carriers": carriers.answer,
    "org_tasks": org_tasks.answer,
    "alias": alias.answer,
    "link": link.answer,
}

__all__ = ["ANSWERS", "GraphAnswer", "GraphAnswerer"]


class GraphAnswerer:
    def __init__(
        self, store: GraphStore, gazetteer: Gazetteer, evidence: AnswerEvidence, retriever: LibraryRetriever
    ) -> None:
        def owners() -> dict[str, list[Edge]]:
            targets = [n.id for n in gazetteer.of_label("Target")]
            return store.edges_of_many(targets, ["SETS_TARGET"], "in")

        self._context = AnswerContext(store, gazetteer, evidence, retriever, owners=RevisionCache(store, owners))

    def answer(
        self, intent: Intent, question: str, names: list[LinkedName], scope: str | None = None
    ) -> GraphAnswer | None:
        """The graph's answer for that kind of question; None for `open` or when the graph lacks the facts.
        `scope`: the id of the document the question is about, when that is settled."""
        answer = ANSWERS.get(intent)
        context = dataclasses.replace(self._context, scope=scope) if scope else self._context
        return answer(context, question, names) if answer else None
