"""Hybrid fusion without the model or a store: weighted reciprocal-rank fusion, the keyword cut-off,
tie-breaking, and which lists each retrieval mode reads."""

from __future__ import annotations

import pytest

from graph.models import Passage, PassageHit, SearchFilters
from graph.text import Tokenizer, search_tokens
from search_api.expansion import Thesaurus
from search_api.hybrid import FusionConfig, HybridRetriever, fuse


def _hit(pid: str, score: float, rank: int = 1) -> PassageHit:
    return PassageHit(passage=Passage(id=pid, doc_id="doc:x", text=pid, order=0), document_title="", score=score,
                      rank=rank)  # fmt: skip


def _ranked(hits: list[PassageHit]) -> list[PassageHit]:
    """The store's ranks, 1-based in list order."""
    return [h.model_copy(update={"rank": i}) for i, h in enumerate(hits, 1)]


def _ids(fused: list) -> list[str]:
    return [f.hit.passage.id for f in fused]


def test_scores_are_weighted_reciprocal_ranks() -> None:
    cfg = FusionConfig(dense_weight=2.0, keyword_weight=0.5, rrf_k=10, keyword_min_ratio=0.0)
    dense = _ranked([_hit("a", 0.9), _hit("b", 0.8)])
    keyword = _ranked([_hit("b", 5.0), _hit("c", 4.0)])
    fused = {f.hit.passage.id: f for f in fuse(dense, keyword, cfg)}
    assert fused["a"].score == pytest.approx(2.0 / 11)
    assert fused["b"].score == pytest.approx(2.0 / 12 + 0.5 / 11)
    assert fused["c"].score == pytest.approx(0.5 / 12)
    assert (fused["a"].dense_rank, fused["a"].keyword_rank) == (1, None)
    assert (fused["b"].dense_rank, fused["b"].keyword_rank) == (2, 1)
    assert (fused["c"].dense_rank, fused["c"].keyword_rank) == (None, 2)
    assert _ids(fuse(dense, keyword, cfg)) == ["b", "a", "c"]  # 0.2121 > 0.1818 > 0.0417


def test_a_passage_in_both_lists_outranks_one_in_a_single_list() -> None:
    cfg = FusionConfig(keyword_min_ratio=0.0)
    dense = _ranked([_hit("a", 0.9), _hit("b", 0.8), _hit("c", 0.7)])
    keyword = _ranked([_hit("c", 3.0)])
    assert _ids(fuse(dense, keyword, cfg)) == ["c", "a", "b"]  # 1/23 + 1/21 beats 1/21


def test_keyword_hits_under_the_ratio_of_the_best_do_not_vote() -> None:
    cfg = FusionConfig(keyword_min_ratio=0.7)
    dense = _ranked([_hit("a", 0.9)])
    keyword = _ranked([_hit("k1", 10.0), _hit("k2", 7.0), _hit("k3", 6.99), _hit("a", 6.0)])
    fused = {f.hit.passage.id: f for f in fuse(dense, keyword, cfg)}
    assert set(fused) == {"a", "k1", "k2"}  # 7.0 is exactly 0.7 of the best: it votes; 6.99 does not
    assert fused["a"].keyword_rank is None and fused["a"].score == pytest.approx(1.0 / 21)


def test_without_a_positive_best_score_every_keyword_hit_votes() -> None:
    keyword = _ranked([_hit("k1", 0.0), _hit("k2", 0.0)])
    assert _ids(fuse([], keyword, FusionConfig(keyword_min_ratio=1.0))) == ["k1", "k2"]


def test_equal_scores_go_to_the_better_dense_rank_then_the_keyword_rank_then_the_passage_id() -> None:
    cfg = FusionConfig(keyword_min_ratio=0.0)
    # a: dense 1 + keyword 2; b: dense 2 + keyword 1 — the same sum; a has the better dense rank.
    fused = fuse(_ranked([_hit("a", 0.9), _hit("b", 0.8)]), _ranked([_hit("b", 2.0), _hit("a", 1.0)]), cfg)
    assert fused[0].score == pytest.approx(fused[1].score)
    assert _ids(fused) == ["a", "b"]
    # Dense rank 1 and keyword rank 1 give the same vote: the passage with a dense rank comes first.
    assert _ids(fuse(_ranked([_hit("m", 0.5)]), _ranked([_hit("k", 9.0)]), cfg)) == ["m", "k"]
    # Keyword hits that cannot vote (weight 0) tie at 0 and have no dense rank: the id decides.
    silent = FusionConfig(keyword_weight=0.0, keyword_min_ratio=0.0)
    assert _ids(fuse([], _ranked([_hit("z", 9.0), _hit("y", 8.0)]), silent)) == ["y", "z"]
    # Without a dense rank, the user's own words decide before the thesaurus's: keyword rank 2 and
    # thesaurus rank 2 give the same vote at equal weights; the keyword hit comes first, whatever its id.
    even = FusionConfig(keyword_min_ratio=0.0, expansion_weight=1.0)
    keyword, expanded = _ranked([_hit("k1", 9.0), _hit("y", 8.0)]), _ranked([_hit("e1", 9.0), _hit("b", 8.0)])
    fused = fuse([], keyword, even, expanded)
    assert fused[0].score == pytest.approx(fused[1].score) and fused[2].score == pytest.approx(fused[3].score)
    assert _ids(fused) == ["k1", "e1", "y", "b"]


def test_empty_lists_fuse_to_nothing() -> None:
    assert fuse([], [], FusionConfig()) == []


class _Store:
    """Records what each retriever was asked for; answers with fixed lists."""

    tokenizer = Tokenizer()  # knows no names: segments as graph.text.search_tokens does

    def __init__(self) -> None:
        self.calls: list[tuple[str, int]] = []
        self.tokens: list[list[str]] = []

    def vector_search(self, vector: list[float], k: int, filters: SearchFilters | None = None) -> list[PassageHit]:
        self.calls.append(("vector", k))
        return _ranked([_hit("d1", 0.9), _hit("d2", 0.5)])

    def keyword_search(self, tokens: list[str], k: int, filters: SearchFilters | None = None) -> list[PassageHit]:
        self.calls.append(("keyword", k))
        self.tokens.append(tokens)
        return _ranked([_hit("d2", 8.0), _hit("k1", 7.0)])


class _Embedder:
    dimension = 2

    def start(self) -> None: ...

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        return [[1.0, 0.0] for _ in texts]

    def embed_query(self, text: str) -> list[float]:
        return [1.0, 0.0]


def _retriever(store: _Store) -> HybridRetriever:
    return HybridRetriever(store, _Embedder(), FusionConfig(candidates=30))  # type: ignore[arg-type]


def test_single_list_modes_keep_the_store_order_and_scores() -> None:
    store = _Store()
    dense = _retriever(store).retrieve("楚怡", depth=5, mode="dense")
    assert [(f.hit.passage.id, f.score, f.dense_rank, f.keyword_rank) for f in dense] == [
        ("d1", 0.9, 1, None),
        ("d2", 0.5, 2, None),
    ]
    keyword = _retriever(store).retrieve("楚怡", depth=5, mode="keyword")
    assert [(f.hit.passage.id, f.score, f.keyword_rank) for f in keyword] == [("d2", 8.0, 1), ("k1", 7.0, 2)]
    assert store.calls == [("vector", 30), ("keyword", 30)]  # each mode reads only its own list


def test_hybrid_reads_both_lists_deep_enough_and_fuses_them() -> None:
    store = _Store()
    fused = _retriever(store).retrieve("楚怡", depth=80, mode="hybrid")
    assert store.calls == [("vector", 80), ("keyword", 80)]  # at least the page asked for
    assert _ids(fused) == ["d2", "d1", "k1"]  # d2 is in both lists
    assert fused == fuse(
        _ranked([_hit("d1", 0.9), _hit("d2", 0.5)]), _ranked([_hit("d2", 8.0), _hit("k1", 7.0)]), FusionConfig()
    )


def test_the_thesaurus_list_searches_only_the_words_the_query_lacks() -> None:
    store = _Store()
    thesaurus = Thesaurus(groups=[["教育附加费", "教育费附加"], ["加班", "延长工作时间"]])
    retriever = HybridRetriever(store, _Embedder(), FusionConfig(), thesaurus)  # type: ignore[arg-type]
    retriever.retrieve("教育费附加率是多少", depth=5, mode="keyword")
    own, extra = store.tokens
    assert own == search_tokens("教育费附加率是多少")
    assert extra and not set(extra) & set(own)  # 教育, 附加 … would vote twice for the same passages
    assert set(extra) <= set(search_tokens("教育附加费"))
    store.tokens.clear()
    retriever.retrieve("加班费怎么算", depth=5, mode="keyword")
    assert "延长" in store.tokens[1] or "延长工作时间" in store.tokens[1]


def test_a_query_whose_thesaurus_words_add_nothing_reads_one_keyword_list() -> None:
    store = _Store()
    thesaurus = Thesaurus(groups=[["教育", "教育"]])
    HybridRetriever(store, _Embedder(), FusionConfig(), thesaurus).retrieve(  # type: ignore[arg-type]
        "职业教育", depth=5, mode="keyword"
    )
    assert store.calls == [("keyword", 50)]


class _OneReadStore(_Store):
    """A store that reads a search's lists together (as Neo4j does): the retriever asks it once."""

    def search_lists(
        self,
        embedding: list[float] | None,
        keyword_tokens: list[list[str]],
        k: int,
        filters: SearchFilters | None = None,
    ) -> tuple[list[PassageHit], list[list[PassageHit]]]:
        mark = len(self.calls)
        dense = super().vector_search(embedding, k, filters) if embedding is not None else []
        lists = [super(_OneReadStore, self).keyword_search(t, k, filters) for t in keyword_tokens]
        self.calls[mark:] = [("lists", k)]  # the lists as the single searches answer them, in one call
        return dense, lists


def test_a_store_that_reads_the_lists_together_is_asked_once_for_the_same_ranking() -> None:
    thesaurus = Thesaurus(groups=[["加班", "延长工作时间"]])
    for mode, query in (("hybrid", "楚怡"), ("hybrid", "加班费怎么算"), ("keyword", "加班费怎么算")):
        one_read, one_by_one = _OneReadStore(), _Store()
        fused = HybridRetriever(one_read, _Embedder(), FusionConfig(), thesaurus).retrieve(  # type: ignore[arg-type]
            query, depth=5, mode=mode
        )
        expected = HybridRetriever(one_by_one, _Embedder(), FusionConfig(), thesaurus).retrieve(  # type: ignore[arg-type]
            query, depth=5, mode=mode
        )
        assert fused == expected
        assert one_read.tokens == one_by_one.tokens  # the same keyword lists: the user's words, then the thesaurus'
        assert one_read.calls == [("lists", 50)]
    dense_only = _OneReadStore()
    HybridRetriever(dense_only, _Embedder()).retrieve("楚怡", depth=5, mode="dense")  # type: ignore[arg-type]
    assert dense_only.calls == [("vector", 50)]  # one list: read alone
