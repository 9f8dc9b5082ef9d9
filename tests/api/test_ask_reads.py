"""What one question costs the store and the model, on both stores with the real model and the seed: the
question is embedded once, the caches are read through the store's revision (no fingerprint of the
graph per question), and graph answers read their targets and citations in batches, not one by one."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from graph.store import GraphStore
from search_api.ask.service import AskService
from search_api.hybrid import one_embedding_per_text
from search_api.services import Services
from tests.api.conftest import MemoEmbedder, ingest_seed, make_services

EXTRACTIVE = "楚怡职业教育精神传承人要弘扬哪些精神理念？"
COUNT = "遴选建设几所楚怡优秀技工院校？"
PER_ITEM = ("get_node", "edges_of")  # one round trip each: a question makes at most one (its document's)
PER_QUESTION = ("stats", "list_documents", "export_json")  # what a fingerprint of the graph reads


def _count_calls(monkeypatch: pytest.MonkeyPatch, target: object, names: tuple[str, ...]) -> Counter[str]:
    calls: Counter[str] = Counter()
    for name in names:
        real: Callable[..., Any] = getattr(target, name)

        def counted(*args: Any, _real: Callable[..., Any] = real, _name: str = name, **kwargs: Any) -> Any:
            calls[_name] += 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(target, name, counted)
    return calls


def test_one_ask_embeds_its_question_once(
    services: Services, memo_embedder: MemoEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    queries: list[str] = []
    real = memo_embedder.embed_query
    monkeypatch.setattr(memo_embedder, "embed_query", lambda text: queries.append(text) or real(text))
    response = services.ask.ask(EXTRACTIVE)
    assert response.mode == "extractive" and response.citations
    assert queries == [EXTRACTIVE]  # retrieval (several times), sentence scoring and support share it
    queries.clear()
    assert services.ask.ask(EXTRACTIVE).answer == response.answer
    assert queries == [EXTRACTIVE], "the vector is kept for one request, not across requests"


def test_a_question_reads_the_revision_not_the_whole_graph(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    questions = (COUNT, EXTRACTIVE, "这份文件由哪些部门联合发布？")
    for question in questions:
        services.ask.ask(question)  # builds the caches for this revision
    calls = _count_calls(monkeypatch, services.store, (*PER_ITEM, *PER_QUESTION, "revision", "edges_of_many"))
    for question in questions:
        calls.clear()
        response = services.ask.ask(question)
        assert response.citations, question
        assert all(calls[name] == 0 for name in PER_QUESTION), (question, calls)
        assert sum(calls[name] for name in PER_ITEM) <= 1, (question, calls)
        assert 1 <= calls["revision"] <= 12, (question, calls)
    gazetteer_builds = services.ask.gazetteer.builds
    services.ask.ask(COUNT)
    assert services.ask.gazetteer.builds == gazetteer_builds


def test_a_count_question_reads_its_targets_owners_at_once(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _count_calls(monkeypatch, services.store, ("edges_of_many",))
    services.ask.ask(COUNT)
    assert calls["edges_of_many"] == 1  # the first question of a revision reads every target's owners at once
    monkeypatch.undo()
    calls = _count_calls(monkeypatch, services.store, ("edges_of", "edges_of_many", "get_node", "get_nodes"))
    response = services.ask.ask(COUNT)
    assert response.intent == "count" and "5" in response.answer
    assert calls["edges_of"] == calls["get_node"] == 0
    assert calls["edges_of_many"] == 0  # the SETS_TARGET owners of every target: read once per revision
    assert calls["get_nodes"] <= 4  # the target and its owners; the cited passages; their documents
    assert services.store.delete_document("doc:none") is False  # no write: the revision stays
    services.ask.ask(COUNT)
    assert calls["edges_of_many"] == 0


def test_answer_sentences_embedded_at_ingest_are_not_embedded_again(
    store: GraphStore, memo_embedder: MemoEmbedder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    svc = make_services(store, memo_embedder, tmp_path / "data")  # sentence_vectors_at_ingest by default
    ingest_seed(svc)
    assert len(svc.sentence_vectors) > 30  # the seed's 28 passages hold 43 answer sentences
    embedded: list[str] = []
    real = memo_embedder.embed_passages
    monkeypatch.setattr(memo_embedder, "embed_passages", lambda texts: embedded.extend(texts) or real(texts))
    kept = svc.ask.ask(EXTRACTIVE)
    assert kept.mode == "extractive" and kept.citations
    assert embedded == []  # every sentence it scored was found on disk
    without = AskService(store, memo_embedder, svc.retriever)  # no kept vectors: embeds at the question
    fresh = without.ask(EXTRACTIVE)
    assert embedded, "the answer without kept vectors embeds its sentences"
    assert (fresh.answer, [c.passage_id for c in fresh.citations]) == (
        kept.answer,
        [c.passage_id for c in kept.citations],
    )


def test_one_request_reads_the_same_lists_once(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    hybrid = services.retriever.hybrid
    # Neo4j reads its lists in one statement (search_lists), the embedded store one search each.
    names = tuple(n for n in ("vector_search", "keyword_search", "search_lists") if hasattr(services.store, n))
    calls = _count_calls(monkeypatch, services.store, names)

    def dense_reads() -> int:
        return calls["vector_search"] + calls["search_lists"]

    with one_embedding_per_text():
        first = hybrid.retrieve(EXTRACTIVE, 6)
        again = hybrid.retrieve(EXTRACTIVE, 5)  # a refusal's related passages: the same depth is read
        assert [f.hit.passage.id for f in again] == [f.hit.passage.id for f in first]
        assert dense_reads() == 1 and calls["keyword_search"] <= 2  # its words, their synonyms
        hybrid.retrieve(EXTRACTIVE, 6, mode="dense")
        assert dense_reads() == 2  # another mode is another read
    hybrid.retrieve(EXTRACTIVE, 6)
    assert dense_reads() == 3  # outside a request nothing is kept
