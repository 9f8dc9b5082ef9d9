"""Hybrid passage retrieval: dense (bge) and Chinese keyword (jieba words + bigrams, BM25 / full-text) lists fused by
weighted reciprocal-rank fusion.

Why cut: the keyword list is precise at its head (a passage sharing the question's rarer words) and
noisy in its tail (passages that only share 职业, 教育, 楚怡). An equal-weight fusion lets that tail
outvote the dense ranking on paraphrased questions; so only keyword hits scoring at least
`keyword_min_ratio` of the best keyword hit vote, and the dense list orders everything else. With the
cut in place the weights hardly matter (a plateau from 0.25 to 4); the defaults sit in its middle.
Tuned with scripts/tune_fusion.py on ../shared/eval plus our own paraphrase sets (numbers in the README).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from graph.models import PassageHit, SearchFilters
from graph.store import GraphStore
from graph.text import search_tokens
from ingest.embedding import Embedder

RetrievalMode = Literal["hybrid", "dense", "keyword"]


class FusionConfig(BaseModel):
    """How the two ranked lists are fused. score = Σ weight / (rrf_k + rank)."""

    dense_weight: float = Field(default=1.0, ge=0)
    keyword_weight: float = Field(default=1.0, ge=0)
    rrf_k: int = Field(default=20, ge=1)
    # How deep each retriever is read (at least the page asked for).
    candidates: int = Field(default=50, ge=1)
    # Keyword hits scoring below this fraction of the best keyword hit do not vote.
    keyword_min_ratio: float = Field(default=0.7, ge=0, le=1)


class FusedHit(BaseModel):
    hit: PassageHit
    score: float
    dense_rank: int | None = None
    keyword_rank: int | None = None


class HybridRetriever:
    def __init__(self, store: GraphStore, embedder: Embedder, config: FusionConfig | None = None) -> None:
        self._store = store
        self._embedder = embedder
        self.config = config or FusionConfig()

    def retrieve(
        self,
        query: str,
        depth: int,
        filters: SearchFilters | None = None,
        mode: RetrievalMode = "hybrid",
        config: FusionConfig | None = None,
    ) -> list[FusedHit]:
        """The fused ranking, best first, at most max(depth, candidates) long."""
        cfg = config or self.config
        fetch = max(depth, cfg.candidates)
        dense: list[PassageHit] = []
        keyword: list[PassageHit] = []
        if mode in ("hybrid", "dense"):
            dense = self._store.vector_search(self._embedder.embed_query(query), fetch, filters)
        if mode in ("hybrid", "keyword"):
            keyword = self._store.keyword_search(search_tokens(query), fetch, filters)
        if mode == "dense":
            return [FusedHit(hit=h, score=h.score, dense_rank=i + 1) for i, h in enumerate(dense)]
        if mode == "keyword":
            return [FusedHit(hit=h, score=h.score, keyword_rank=i + 1) for i, h in enumerate(keyword)]
        return fuse(dense, keyword, cfg)


def fuse(dense: list[PassageHit], keyword: list[PassageHit], cfg: FusionConfig) -> list[FusedHit]:
    """Weighted RRF of the two lists; ties go to the better dense rank, then to the passage id."""
    fused: dict[str, FusedHit] = {}
    for rank, hit in enumerate(dense, 1):
        fused[hit.passage.id] = FusedHit(hit=hit, score=cfg.dense_weight / (cfg.rrf_k + rank), dense_rank=rank)
    best = keyword[0].score if keyword else 0.0
    for rank, hit in enumerate(keyword, 1):
        if best > 0 and hit.score < cfg.keyword_min_ratio * best:
            break
        vote = cfg.keyword_weight / (cfg.rrf_k + rank)
        entry = fused.get(hit.passage.id)
        if entry is None:
            fused[hit.passage.id] = FusedHit(hit=hit, score=vote, keyword_rank=rank)
        else:
            entry.score += vote
            entry.keyword_rank = rank
    big = len(dense) + len(keyword) + 1
    return sorted(
        fused.values(),
        key=lambda f: (-f.score, f.dense_rank or big, f.hit.passage.id),
    )
