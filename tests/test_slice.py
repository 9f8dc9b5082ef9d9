"""The vertical slice on both stores: ingest the seed document, search it, read it back."""

from __future__ import annotations

from pathlib import Path

from graph.models import SearchFilters
from graph.store import GraphStore
from graph.text import tokenize
from ingest.embedding import Embedder
from ingest.pipeline import IngestPipeline
from tests.conftest import CORPUS_DIR, MemoEmbedder


def _ingest(store: GraphStore, embedder: Embedder) -> IngestPipeline:
    pipeline = IngestPipeline(store, embedder, max_file_bytes=10**7, progress=False)
    summary = pipeline.ingest_paths([CORPUS_DIR])
    assert summary.ok, summary.errors
    assert summary.documents == 1
    return pipeline


def test_ingest_writes_document_and_passages(store: GraphStore, memo_embedder: MemoEmbedder) -> None:
    _ingest(store, memo_embedder)
    stats = store.stats()
    assert stats.nodes["Document"] == 1
    assert stats.nodes["Passage"] >= 20
    assert stats.relationships["HAS_PASSAGE"] == stats.nodes["Passage"]
    (doc,) = store.list_documents()
    assert "楚怡" in doc.title
    node = store.get_node(doc.id)
    assert node is not None and node.label == "Document"


def test_dense_search_finds_housing_passage(store: GraphStore, memo_embedder: MemoEmbedder) -> None:
    _ingest(store, memo_embedder)
    hits = store.vector_search(memo_embedder.embed_query("给紧缺技能人才的住房优惠"), 3)
    assert len(hits) == 3
    assert "住房医疗" in hits[0].passage.text
    assert hits[0].score > hits[1].score >= hits[2].score
    assert hits[0].document_title


def test_keyword_search_matches_chinese_words(store: GraphStore, memo_embedder: MemoEmbedder) -> None:
    _ingest(store, memo_embedder)
    hits = store.keyword_search(tokenize("文化传承基地"), 5)
    assert hits and "文化传承基地" in hits[0].passage.text


def test_reingest_unchanged_changes_nothing(store: GraphStore, memo_embedder: MemoEmbedder) -> None:
    pipeline = _ingest(store, memo_embedder)
    before = store.stats()
    again = pipeline.ingest_paths([CORPUS_DIR])
    assert again.unchanged == 1 and again.documents == 0
    assert store.stats() == before


def test_filter_by_unknown_document_returns_nothing(store: GraphStore, memo_embedder: MemoEmbedder) -> None:
    _ingest(store, memo_embedder)
    hits = store.vector_search(memo_embedder.embed_query("楚怡"), 5, SearchFilters(doc_ids=["doc:none"]))
    assert hits == []


def test_delete_document_empties_store(store: GraphStore, memo_embedder: MemoEmbedder) -> None:
    _ingest(store, memo_embedder)
    (doc,) = store.list_documents()
    assert store.delete_document(doc.id) is True
    assert store.delete_document(doc.id) is False
    assert store.stats().node_total == 0
    assert store.vector_search(memo_embedder.embed_query("楚怡"), 5) == []


def test_embedded_state_survives_restart(memo_embedder: MemoEmbedder, tmp_path: Path) -> None:
    from graph.embedded import EmbeddedStore

    first = EmbeddedStore(tmp_path)
    first.start()
    _ingest(first, memo_embedder)
    query = memo_embedder.embed_query("楚怡职业教育的论坛和讲堂")
    expected = [h.passage.id for h in first.vector_search(query, 5)]
    second = EmbeddedStore(tmp_path)
    second.start()
    assert [h.passage.id for h in second.vector_search(query, 5)] == expected
    assert second.stats() == first.stats()
