"""Answers a question over the library: settle which document it is about (the request's, or the one
"this document" means), quote the articles or sections it references, else find the entities it names,
recognise its kind and answer from the graph where the graph holds the facts, else extractively — and
answer only when the evidence supports it; otherwise say 资料中没有找到… and offer the nearest passages.
Optionally an LLM phrases the answer from the same citations."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator

import numpy as np
from pydantic import BaseModel

from graph.errors import NodeNotFound
from graph.models import SearchFilters
from graph.store import GraphStore
from ingest.embedding import Embedder
from ingest.sentences import SentenceVectors
from search_api.ask.answers import GraphAnswer, GraphAnswerer
from search_api.ask.answers.match import answer as match_answer
from search_api.ask.evidence import AnswerEvidence, node_ref
from search_api.ask.extractive import ExtractiveAnswer, ExtractiveAnswerer
from search_api.ask.intent import classify
from search_api.ask.linking import Gazetteer, LinkedName
from search_api.ask.llm import LLMPhraser, PhrasingFailed, constrain_to_evidence
from search_api.ask.quoting import MAX_REFERENCE_CITATIONS, quote
from search_api.ask.schemas import AskResponse, Citation, DocumentCandidate, Intent
from search_api.ask.scope import DocumentScope, ScopeFinder
from search_api.ask.support import Evidence, SupportJudge, SupportPolicy
from search_api.hybrid import one_embedding_per_text
from search_api.matching.service import MatchService
from search_api.references.parser import parse_references
from search_api.references.reading import QueryReading
from search_api.references.schemas import DocumentVersion
from search_api.retrieval import LibraryRetriever

log = logging.getLogger(__name__)

NO_ANSWER = "资料中没有找到相关内容。"
MAX_CITATIONS = 5
RELATED = 3  # passages offered as possibly related when nothing answers
_ARTICLE_LABEL = re.compile(r"^\s*第[零〇一二两三四五六七八九十百千万\d]+条(?:之[一二三四五六七八九十\d]+)?\s*")


class StreamEvent(BaseModel):
    event: str
    data: str  # JSON


def candidate(doc: DocumentVersion) -> DocumentCandidate:
    return DocumentCandidate(
        id=doc.id, title=doc.title, version=doc.version_label, status=doc.status, issuers=list(doc.issuers)
    )


class AskService:
    def __init__(
        self,
        store: GraphStore,
        embedder: Embedder,
        retriever: LibraryRetriever,
        llm: LLMPhraser | None = None,
        policy: SupportPolicy | None = None,
        matching: MatchService | None = None,
        sentence_vectors: SentenceVectors | None = None,
    ) -> None:
        self.gazetteer = Gazetteer(store)
        self._library = retriever.library
        self._evidence = AnswerEvidence(store, self._library)
        self._retriever = retriever
        self._graph = GraphAnswerer(store, self.gazetteer, self._evidence, retriever)
        self._extractive = ExtractiveAnswerer(retriever, embedder, sentence_vectors)
        self._scope = ScopeFinder(store, self._library, retriever)
        self.support = SupportJudge(store, retriever.hybrid.thesaurus, policy)
        self._llm = llm
        self._matching = matching

    def require_document(self, document: str) -> DocumentVersion:
        """The document a request is scoped to; UnknownDocument (404) when the library lacks it."""
        self._library.refresh()
        return self._library.require(document)

    def ask(self, question: str, document: str | None = None) -> AskResponse:
        with one_embedding_per_text():
            return self._ask(question, document)

    def stream(self, question: str, document: str | None = None) -> Iterator[StreamEvent]:
        """The answer as server-sent events. With an LLM, its phrasing is sent piece by piece as the
        endpoint streams it (markers as the model wrote them); `done` then carries the answer constrained
        to our evidence, or the template answer when the endpoint failed on the way."""
        with one_embedding_per_text():
            response = self._ask(question, document, phrase=False)
        if self._llm is None or not response.citations:
            yield from self.events(response)
            return
        draft = response.model_copy()
        response.phrased_by = "llm"
        yield self._meta(response)
        text = ""
        try:
            for piece in self._llm.stream(question, draft.answer, draft.citations):
                text += piece
                yield StreamEvent(event="delta", data=_json({"text": piece}))
        except PhrasingFailed as exc:
            log.warning("LLM phrasing failed (%s): the template answer stands", exc)
            text = ""
        if text.strip():
            phrased = constrain_to_evidence(text, draft.citations)
            response.answer, response.citations = phrased.answer, phrased.citations
        else:
            response = draft
            yield StreamEvent(event="delta", data=_json({"text": draft.answer}))
        yield from self._after_answer(response)

    def _ask(self, question: str, document: str | None, *, phrase: bool = True) -> AskResponse:
        started = time.perf_counter()
        question = question.strip()
        self._library.refresh()
        requested = self._library.require(document) if document else None
        names = self.gazetteer.link(question)
        scope = self._scope.find(question, requested, names)
        response = self._answer(question, names, scope)
        response.entities = [node_ref(m.node) for m in names]
        if response.document is None and scope.document is not None:
            response.document = candidate(scope.document)
        if phrase and self._llm is not None and response.citations:
            phrased = self._llm.phrase(question, response.answer, response.citations)
            if phrased is not None:
                response.answer, response.citations = phrased.answer, phrased.citations
                response.phrased_by = "llm"
        response.took_ms = round((time.perf_counter() - started) * 1000, 2)
        return response

    def _answer(self, question: str, names: list[LinkedName], scope: DocumentScope) -> AskResponse:
        if scope.undecided:
            return self._which_document(question, scope)
        doc = scope.document
        reading = self._retriever.read(question, doc)
        if reading.references:
            return self._from_references(question, reading)
        intent = classify(question, names)
        if intent == "match":
            matched = self._from_matching(question, names)
            if matched is not None:
                return matched
            intent = "open"  # matching could not resolve the words: answer from the text
        graph = self._graph_answer(intent, question, names, doc.id if doc else None) if intent != "open" else None
        response = self._from_graph(question, intent, graph) if graph else None
        return response or self._extract(question, intent, names, doc)

    def _graph_answer(
        self, intent: Intent, question: str, names: list[LinkedName], doc_id: str | None
    ) -> GraphAnswer | None:
        try:
            return self._graph.answer(intent, question, names, doc_id)
        except NodeNotFound:
            # A node the question named was deleted while it was being answered (a document removed
            # meanwhile): the graph no longer holds that fact, so answer from the text instead.
            return None

    def _from_matching(self, question: str, names: list[LinkedName]) -> AskResponse | None:
        """Which 专业 an industry needs, or which industries a 专业 serves: matching's ranking in a sentence,
        citing the passages it found, with the matching view linked."""
        if self._matching is None:
            return None
        found = match_answer(self._matching, question, names)
        if found is None:
            return None
        return AskResponse(
            answer=found.text,
            citations=self._evidence.citations(found.evidence, MAX_CITATIONS),
            facts=found.facts,
            intent="match",
            mode="graph",
            link=found.link,
        )

    # -- references ----------------------------------------------------------------------------------
    def _from_references(self, question: str, reading: QueryReading) -> AskResponse:
        found = reading.found
        if found:
            ids = [p.id for r in found for p in r.passages]
            citations = self._evidence.citations(ids, MAX_REFERENCE_CITATIONS)
            doc = found[0].document
            missing = [r.message for r in reading.references if r.status != "found"]  # 第三条和第九千条
            return AskResponse(
                answer="\n".join([*(quote(r) for r in found), *dict.fromkeys(missing)]),
                citations=citations,
                facts=[],
                intent="reference",
                mode="extractive",
                document=candidate(doc) if doc else None,
            )
        messages = "\n".join(dict.fromkeys(r.message for r in reading.references))
        candidates = [c for r in reading.references for c in r.candidates]
        related = self._related(question, [])
        return AskResponse(
            answer=messages,
            citations=[],
            facts=[],
            intent="reference",
            mode="none",
            related=related,
            candidates=[candidate(c) for c in candidates],
        )

    # -- which document ------------------------------------------------------------------------------
    def _which_document(self, question: str, scope: DocumentScope) -> AskResponse:
        names = "、".join(f"《{d.title}》" for d in scope.candidates)
        answer = (
            f"问题说的是哪一份文件？资料库中有多份文件，可能是{names}。"
            "请在问题中写明文件名称，或选定一份文件（document）再问。"
        )
        return AskResponse(
            answer=answer,
            citations=[],
            facts=[],
            intent="document",
            mode="none",
            candidates=[candidate(d) for d in scope.candidates],
            related=self._related(question, []),
        )

    # -- graph and extractive answers ----------------------------------------------------------------
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

    def _extract(
        self, question: str, intent: Intent, names: list[LinkedName], doc: DocumentVersion | None
    ) -> AskResponse:
        named = [m for m in names if m.node.label in ("Organization", "Programme")]
        # "What is X asked to do" without assignments in the graph: read the passages that mention X.
        filters = SearchFilters(entity_ids=[named[0].node.id]) if intent == "org_tasks" and named else None
        if doc is not None:
            filters = SearchFilters(**{**(filters.model_dump() if filters else {}), "doc_ids": [doc.id]})
        found = self._extractive.answer(question, filters)
        if found is None:
            return self._nothing(question, intent)
        citations: list[Citation] = self._evidence.citations(found.passage_ids, MAX_CITATIONS)
        evidence = [Evidence(title=c.document_title, text=c.text) for c in citations]
        support = self.support.assess(question, evidence, self.meaning(question, found.text))
        if not self.support.policy.supported(support):
            return self._nothing(question, intent, [c.passage_id for c in citations])
        return AskResponse(
            answer=self._cited(found, citations), citations=citations, facts=[], intent=intent, mode="extractive"
        )

    def meaning(self, question: str, answer: str) -> float:
        q = np.asarray(self._retriever.hybrid.query_vector(question), dtype=np.float32)
        a = self._extractive.passage_vector(answer)
        return float(q @ a)

    def _cited(self, found: ExtractiveAnswer, citations: list[Citation]) -> str:
        """The sentence, led by where it stands when that is a law's article or a work with several
        versions: 《征收教育费附加的暂行规定》第三条：… / 《…职业教育法》（2022年4月20日修订）：…"""
        if not citations:
            return found.text
        first = citations[0]
        version = self._library.version(first.document_id)
        article = first.section.rsplit("/", 1)[-1] if first.section else ""
        if version is None or not (article.endswith("条") or version.versions > 1):
            return found.text
        where = version.cited_as + (article if article.startswith("第") and article.endswith("条") else "")
        return f"{where}：{_ARTICLE_LABEL.sub('', found.text)}"

    def _nothing(self, question: str, intent: Intent, near: list[str] | None = None) -> AskResponse:
        return AskResponse(
            answer=NO_ANSWER,
            citations=[],
            facts=[],
            intent=intent,
            mode="none",
            related=self._related(question, near or []),
        )

    def _related(self, question: str, near: list[str]) -> list[Citation]:
        """The passages nearest the question (those an unsupported answer would have cited first)."""
        text = question
        for ref in parse_references(question):
            text = text.replace(ref.text, " ")
        ids = list(near)
        if len(ids) < RELATED and text.strip():
            ids += [f.hit.passage.id for f in self._retriever.retrieve(text, RELATED)[:RELATED]]
        return self._evidence.citations(ids, RELATED)

    def events(self, response: AskResponse) -> Iterator[StreamEvent]:
        """A computed answer as server-sent events: meta, the answer, citations, facts, related, then the
        whole answer."""
        yield self._meta(response)
        # The answer is computed whole before the stream starts: it goes in one delta, rather than being
        # sliced into pieces that only look streamed.
        yield StreamEvent(event="delta", data=_json({"text": response.answer}))
        yield from self._after_answer(response)

    @staticmethod
    def _meta(response: AskResponse) -> StreamEvent:
        meta = response.model_dump(
            include={"intent", "mode", "entities", "phrased_by", "document", "candidates", "link"}
        )
        return StreamEvent(event="meta", data=_json(meta))

    @staticmethod
    def _after_answer(response: AskResponse) -> Iterator[StreamEvent]:
        yield StreamEvent(event="citations", data=_json([c.model_dump() for c in response.citations]))
        yield StreamEvent(event="facts", data=_json([f.model_dump() for f in response.facts]))
        if response.related:
            yield StreamEvent(event="related", data=_json([c.model_dump() for c in response.related]))
        yield StreamEvent(event="done", data=response.model_dump_json())


def _json(value: object) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)
