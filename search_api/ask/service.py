"""Answers a question: find the entities it names, recognise its kind, answer from the graph where the
graph holds the facts, else extractively; cite the passages; optionally let an LLM phrase it."""

from __future__ import annotations

import time
from collections.abc import Iterator

from pydantic import BaseModel

from graph.errors import NodeNotFound
from graph.models import SearchFilters
from graph.store import GraphStore
from ingest.embedding import Embedder
from search_api.ask.answers import GraphAnswer, GraphAnswerer
from search_api.ask.evidence import AnswerEvidence, node_ref
from search_api.ask.extractive import ExtractiveAnswerer
from search_api.ask.intent import classify
from search_api.ask.linking import Gazetteer, LinkedName
from search_api.ask.llm import LLMPhraser
from search_api.ask.schemas import AskResponse, Citation, Intent
from search_api.hybrid import HybridRetriever

NO_ANSWER = "没有找到相关内容。"
MAX_CITATIONS = 5
_CHUNK = 12  # characters per streamed answer delta


class StreamEvent(BaseModel):
    event: str
    data: str  # JSON


class AskService:
    def __init__(
        self, store: GraphStore, embedder: Embedder, retriever: HybridRetriever, llm: LLMPhraser | None = None
    ) -> None:
        self.gazetteer = Gazetteer(store)
        self._evidence = AnswerEvidence(store)
        self._retriever = retriever
        self._graph = GraphAnswerer(store, self.gazetteer, self._evidence, retriever)
        self._extractive = ExtractiveAnswerer(retriever, embedder)
        self._llm = llm

    def ask(self, question: str) -> AskResponse:
        started = time.perf_counter()
        question = question.strip()
        names = self.gazetteer.link(question)
        intent = classify(question, names)
        entities = [node_ref(m.node) for m in names]
        graph = self._graph_answer(intent, question, names) if intent != "open" else None
        response = self._from_graph(question, intent, graph) if graph else None
        if response is None:
            response = self._extract(question, intent, names)
        response.entities = entities
        if self._llm is not None and response.citations:
            phrased = self._llm.phrase(question, response.answer, response.citations)
            if phrased is not None:
                response.answer, response.citations = phrased.answer, phrased.citations
                response.phrased_by = "llm"
        response.took_ms = round((time.perf_counter() - started) * 1000, 2)
        return response

    def _graph_answer(self, intent: Intent, question: str, names: list[LinkedName]) -> GraphAnswer | None:
        try:
            return self._graph.answer(intent, question, names)
        except NodeNotFound:
            # A node the question named was deleted while it was being answered (a document removed
            # meanwhile): the graph no longer holds that fact, so answer from the text instead.
            return None

    def _from_graph(self, question: str, intent: Intent, graph: GraphAnswer) -> AskResponse | None:
        evidence = list(graph.evidence)
        if not evidence:
            # A fact without recorded evidence still rests on a passage: the one closest to the answer.
            best = self._retriever.retrieve(graph.text, 1)
            evidence = [best[0].hit.passage.id] if best else []
        citations = self._evidence.citations(evidence, MAX_CITATIONS)
        if not citations:
            return None
        return AskResponse(answer=graph.text, citations=citations, facts=graph.facts, intent=intent, mode="graph")

    def _extract(self, question: str, intent: Intent, names: list[LinkedName]) -> AskResponse:
        named = [m for m in names if m.node.label in ("Organization", "Programme")]
        # "What is X asked to do" without assignments in the graph: read the passages that mention X.
        filters = SearchFilters(entity_ids=[named[0].node.id]) if intent == "org_tasks" and named else None
        found = self._extractive.answer(question, filters)
        if found is None:
            return AskResponse(answer=NO_ANSWER, citations=[], facts=[], intent=intent, mode="none")
        citations: list[Citation] = self._evidence.citations(found.passage_ids, MAX_CITATIONS)
        return AskResponse(answer=found.text, citations=citations, facts=[], intent=intent, mode="extractive")

    def events(self, response: AskResponse) -> Iterator[StreamEvent]:
        """The answer as server-sent events: meta, answer deltas, citations, facts, then the whole answer."""
        meta = response.model_dump(include={"intent", "mode", "entities", "phrased_by"})
        yield StreamEvent(event="meta", data=_json(meta))
        for i in range(0, len(response.answer), _CHUNK):
            yield StreamEvent(event="delta", data=_json({"text": response.answer[i : i + _CHUNK]}))
        yield StreamEvent(event="citations", data=_json([c.model_dump() for c in response.citations]))
        yield StreamEvent(event="facts", data=_json([f.model_dump() for f in response.facts]))
        yield StreamEvent(event="done", data=response.model_dump_json())


def _json(value: object) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)
