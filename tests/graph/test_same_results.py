"""Both backends side by side: the same data must give the same graph and the same search results."""

from __future__ import annotations

import pytest

from graph.models import SearchFilters
from graph.store import GraphStore, ListsInOneRead
from graph.text import search_tokens, tokenize
from ingest.pipeline import IngestPipeline
from search_api.expansion import THESAURUS_FILE, Thesaurus
from search_api.hybrid import FusedHit, HybridRetriever
from tests.conftest import CORPUS_DIR, MemoEmbedder
from tests.graph.conftest import load_known_graph
from tests.graph.graphs import vec

pytestmark = pytest.mark.neo4j

SEED_QUERIES = [
    "给紧缺技能人才的住房优惠",
    "楚怡职业教育的论坛和讲堂",
    "高职专科在职业教育中的地位",
    "楚怡文化传承基地",
    "党委书记队伍的工作制度",
    "湖南省教育厅",
    "校企合作 产教融合",
]


def _ranked(hits: list) -> list[str]:
    return [h.passage.id for h in hits]


def _fused_ranks(fused: FusedHit) -> tuple[str, int | None, int | None, int | None]:
    return fused.hit.passage.id, fused.dense_rank, fused.keyword_rank, fused.expansion_rank


def test_known_graph_is_identical_on_both(both_stores: tuple[GraphStore, GraphStore]) -> None:
    embedded, neo4j = both_stores
    for s in both_stores:
        load_known_graph(s)
    assert embedded.export_json() == neo4j.export_json()
    assert embedded.export_graphml() == neo4j.export_graphml()
    assert embedded.stats() == neo4j.stats()
    for q in ("楚怡", "教育厅", "", "湖南"):
        assert embedded.find_entities(q) == neo4j.find_entities(q)
    assert embedded.neighbors("org:edu", depth=2) == neo4j.neighbors("org:edu", depth=2)
    assert embedded.paths("org:hngy", "org:fin", max_hops=5) == neo4j.paths("org:hngy", "org:fin", max_hops=5)


@pytest.mark.parametrize(
    "filters",
    [
        None,
        SearchFilters(doc_ids=["doc:a"]),
        SearchFilters(issuers=["省财政厅"]),
        SearchFilters(entity_ids=["org:edu"]),
    ],
)
def test_known_graph_searches_agree(both_stores: tuple[GraphStore, GraphStore], filters: SearchFilters | None) -> None:
    for s in both_stores:
        load_known_graph(s)
    embedded, neo4j = both_stores
    for query in (vec((0, 1.0), (4, 0.3)), vec((2, 0.5), (3, 0.5)), vec((9, 1.0), (1, 0.1))):
        a, b = embedded.vector_search(query, 5, filters), neo4j.vector_search(query, 5, filters)
        assert _ranked(a) == _ranked(b)
        assert [h.score for h in a] == pytest.approx([h.score for h in b], abs=1e-5)
    for text in ("楚怡高水平高职院校", "教育厅 财政厅", "住房医疗", "技工院校"):
        a, b = embedded.keyword_search(tokenize(text), 5, filters), neo4j.keyword_search(tokenize(text), 5, filters)
        assert _ranked(a) == _ranked(b)


@pytest.mark.parametrize("filters", [None, SearchFilters(doc_ids=["doc:a"]), SearchFilters(issuers=["省财政厅"])])
def test_neo4j_lists_in_one_read_are_its_single_lists(
    both_stores: tuple[GraphStore, GraphStore], filters: SearchFilters | None
) -> None:
    """Neo4jStore.search_lists (one round trip) answers exactly what vector_search and keyword_search do, one
    by one, and so what the embedded store answers."""
    for s in both_stores:
        load_known_graph(s)
    embedded, neo4j = both_stores
    assert isinstance(neo4j, ListsInOneRead) and not isinstance(embedded, ListsInOneRead)
    keyword_tokens = [tokenize("楚怡高水平高职院校"), search_tokens("教育厅 财政厅"), [], tokenize("住房医疗")]
    for query in (vec((0, 1.0), (4, 0.3)), vec((9, 1.0), (1, 0.1)), None):
        for k in (5, 2, 0):
            dense, keyword = neo4j.search_lists(query, keyword_tokens, k, filters)
            one_by_one = [neo4j.keyword_search(t, k, filters) for t in keyword_tokens]
            assert keyword == one_by_one
            assert [_ranked(h) for h in keyword] == [
                _ranked(embedded.keyword_search(t, k, filters)) for t in keyword_tokens
            ]
            if query is None:
                assert dense == []
                continue
            assert dense == neo4j.vector_search(query, k, filters)
            assert _ranked(dense) == _ranked(embedded.vector_search(query, k, filters))
    assert neo4j.search_lists(None, [], 5, filters) == ([], [])
    assert neo4j.search_lists(None, [[], []], 5, filters) == ([], [[], []])


def test_seed_search_identical_on_both(both_stores: tuple[GraphStore, GraphStore], memo_embedder: MemoEmbedder) -> None:
    """The real seed document through the real ingest and the real model: identical top-5 on both."""
    for s in both_stores:
        summary = IngestPipeline(s, memo_embedder, max_file_bytes=10**7, progress=False).ingest_paths([CORPUS_DIR])
        assert summary.ok, summary.errors
    embedded, neo4j = both_stores
    assert embedded.stats() == neo4j.stats()
    for q in SEED_QUERIES:
        vector = memo_embedder.embed_query(q)
        dense_e, dense_n = embedded.vector_search(vector, 5), neo4j.vector_search(vector, 5)
        assert _ranked(dense_e) == _ranked(dense_n), q
        assert [h.score for h in dense_e] == pytest.approx([h.score for h in dense_n], abs=1e-4)
        for tokens in (tokenize(q), search_tokens(q)):
            key_e, key_n = embedded.keyword_search(tokens, 5), neo4j.keyword_search(tokens, 5)
            assert _ranked(key_e) == _ranked(key_n), q
            assert [h.score for h in key_e] == pytest.approx([h.score for h in key_n], rel=1e-5)
            assert key_e, q
    # The fused ranking too: the embedded store's lists one by one, Neo4j's in one read (with the thesaurus).
    thesaurus = Thesaurus(CORPUS_DIR / "knowledge" / THESAURUS_FILE)
    for q in [*SEED_QUERIES, "加班工资怎么算", "学校里的实习补贴"]:
        for mode in ("hybrid", "keyword"):
            fused_e = HybridRetriever(embedded, memo_embedder, thesaurus=thesaurus).retrieve(q, 5, mode=mode)
            fused_n = HybridRetriever(neo4j, memo_embedder, thesaurus=thesaurus).retrieve(q, 5, mode=mode)
            assert [_fused_ranks(f) for f in fused_e] == [_fused_ranks(f) for f in fused_n], (q, mode)
