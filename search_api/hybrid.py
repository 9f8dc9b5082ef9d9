"""Hybrid passage retrieval: dense (bge) and Chinese keyword (jieba words + bigrams, BM25 / full-text) lists fused by
weighted reciprocal-rank fusion, with a third, lighter keyword list for the thesaurus words a query brings.

Why cut: the keyword list is precise at its head (a passage sharing the question's rarer words) and
noisy in its tail (passages that only share 职业, 教育, 楚怡). An equal-weight fusion lets that tail
outvote the dense ranking on paraphrased questions; so only keyword hits scoring at least
`keyword_min_ratio` of the best keyword hit vote, and the dense list orders everything else.
Tuned with scripts/tune_fusion.py (numbers in the README and in FusionConfig below).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Literal

from pydantic import BaseModel, Field

from graph.models import PassageHit, SearchFilters
from graph.store import GraphStore, ListsInOneRead
from graph.text import Tokenizer
from ingest.embedding import Embedder
from search_api.expansion import Thesaurus

RetrievalMode = Literal["hybrid", "dense", "keyword"]

# The query vectors of the request being answered, by text (None outside one_embedding_per_text): an ask
# retrieves for its question several times (scope, extractive passages, related passages) and scores
# sentences against it; with this it embeds the question once.
_request_vectors: ContextVar[dict[str, list[float]] | None] = ContextVar("request_query_vectors", default=None)
# The ranked lists read for the request, by (query, depth, filters, mode): a refusal's related passages
# are the ranking its extractive answer already read, and the store is not asked twice in one request.
_ListsKey = tuple[str, int, str, str]
_Lists = tuple[list[PassageHit], list[PassageHit], list[PassageHit]]
_request_lists: ContextVar[dict[_ListsKey, _Lists] | None] = ContextVar("request_lists", default=None)


@contextmanager
def one_embedding_per_text() -> Iterator[None]:
    """Within the block (one request), a query text is embedded once however often it is retrieved for,
    and the same lists are read from the store once."""
    token = _request_vectors.set({})
    lists_token = _request_lists.set({})
    try:
        yield
    finally:
        _request_lists.reset(lists_token)
        _request_vectors.reset(token)


class FusionConfig(BaseModel):
    """How the ranked lists are fused. score = Σ weight / (rrf_k + rank).

    Measured with `scripts/tune_fusion.py --library` (the seed plus the 22 laws, 1,234 passages; through
    the whole library ranking of search_api.retrieval), hits@5 · hits@1 · MRR@10 on library_dev (16) /
    our held-out questions (23) / the seed's dev set (10) / the seed's paraphrases (39), all over the library:
      cut 0.7, no expansion (the seed-tuned fusion)  15 · 11 · .778 / 22 · 20 · .902 / 10 · 9 · .925 / 32 · 25 · .708
      cut 0.6, no expansion                          15 · 11 · .781 / 23 · 20 · .920 / 10 · 9 · .920 / 32 · 26 · .730
      cut 0.6, expansion 0.5 (the defaults)          15 · 13 · .849 / 23 · 20 · .920 / 10 · 9 · .920 / 31 · 26 · .726
      cut 0.5, expansion 0.75, keyword weight 0.5    15 · 14 · .887 / 23 · 20 · .917 / 10 · 9 · .920 / 29 · 25 · .684
    Best on the sum of the four MRRs; the last row wins dev hits@1 but loses two seed paraphrases (over-
    fitting the 16 dev questions). On the seed alone (25 passages) cut 0.6 keeps dev 10/10 · 10 and the
    paraphrases 23/23, and loses one hard paraphrase (16 → 15 of 16): the library is what is served now.
    """

    dense_weight: float = Field(default=1.0, ge=0)
    keyword_weight: float = Field(default=1.0, ge=0)
    rrf_k: int = Field(default=20, ge=1)
    # How deep each retriever is read (at least the page asked for).
    candidates: int = Field(default=50, ge=1)
    # Keyword hits scoring below this fraction of the best keyword hit do not vote (0.7 on the seed alone).
    keyword_min_ratio: float = Field(default=0.6, ge=0, le=1)
    # The thesaurus words a query brings (加班 → 延长工作时间) are a second keyword list; it votes with
    # this weight, below the user's own words (0.25: no gain on dev; 1.0: a held-out question lost).
    expansion_weight: float = Field(default=0.5, ge=0)


class FusedHit(BaseModel):
    hit: PassageHit
    score: float
    dense_rank: int | None = None
    keyword_rank: int | None = None
    expansion_rank: int | None = None
    reference: str | None = None  # the structural reference (第三条 …) that put this passage first


class HybridRetriever:
    def __init__(
        self,
        store: GraphStore,
        embedder: Embedder,
        config: FusionConfig | None = None,
        thesaurus: Thesaurus | None = None,
    ) -> None:
        self._store = store
        self._embedder = embedder
        self.config = config or FusionConfig()
        self.thesaurus = thesaurus or Thesaurus()

    @property
    def tokenizer(self) -> Tokenizer:
        """The store's tokenizer: queries are segmented as its passages were."""
        return self._store.tokenizer

    def query_vector(self, text: str) -> list[float]:
        """The query's embedding; inside one_embedding_per_text, computed once per text."""
        memo = _request_vectors.get()
        if memo is None:
            return self._embedder.embed_query(text)
        vector = memo.get(text)
        if vector is None:
            vector = memo[text] = self._embedder.embed_query(text)
        return vector

    def lists(
        self, query: str, fetch: int, filters: SearchFilters | None, mode: RetrievalMode
    ) -> tuple[list[PassageHit], list[PassageHit], list[PassageHit]]:
        """The dense, keyword and expansion lists a mode reads (empty where it reads none); inside
        one_embedding_per_text, read once per request."""
        memo = _request_lists.get()
        if memo is None:
            return self._read_lists(query, fetch, filters, mode)
        key = (query, fetch, filters.model_dump_json() if filters is not None else "", mode)
        found = memo.get(key)
        if found is None:
            found = memo[key] = self._read_lists(query, fetch, filters, mode)
        return list(found[0]), list(found[1]), list(found[2])

    def _read_lists(
        self, query: str, fetch: int, filters: SearchFilters | None, mode: RetrievalMode
    ) -> tuple[list[PassageHit], list[PassageHit], list[PassageHit]]:
        vector = self.query_vector(query) if mode in ("hybrid", "dense") else None
        keyword_tokens: list[list[str]] = []
        if mode in ("hybrid", "keyword"):
            tokens = self._store.tokenizer.search_tokens
            own = tokens(query)
            mine = set(own)
            # Only the words the query lacks: 教育附加费 for 教育费附加 shares 教育/附加 with the query, and
            # those would vote a second time for what the keyword list already ranks.
            extra = [t for t in tokens(" ".join(self.thesaurus.expand(query))) if t not in mine]
            keyword_tokens = [own, extra] if extra else [own]
        # Neo4j answers all the lists in one round trip (docs/benchmarks.md); the same lists either way.
        if isinstance(self._store, ListsInOneRead) and keyword_tokens:
            dense, keyword_lists = self._store.search_lists(vector, keyword_tokens, fetch, filters)
        else:
            dense = self._store.vector_search(vector, fetch, filters) if vector is not None else []
            keyword_lists = [self._store.keyword_search(t, fetch, filters) for t in keyword_tokens]
        keyword = keyword_lists[0] if keyword_lists else []
        expanded = keyword_lists[1] if len(keyword_lists) > 1 else []
        return dense, keyword, expanded

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
        dense, keyword, expanded = self.lists(query, max(depth, cfg.candidates), filters, mode)
        if mode == "dense":
            return [FusedHit(hit=h, score=h.score, dense_rank=i + 1) for i, h in enumerate(dense)]
        if mode == "keyword" and not expanded:
            return [FusedHit(hit=h, score=h.score, keyword_rank=i + 1) for i, h in enumerate(keyword)]
        return fuse(dense, keyword, cfg, expanded)


def fuse(
    dense: list[PassageHit], keyword: list[PassageHit], cfg: FusionConfig, expanded: list[PassageHit] | None = None
) -> list[FusedHit]:
    """Weighted RRF of the lists (keyword mode: the keyword and expansion lists). Equal scores go to the
    better dense rank, then to the better rank for the user's own words, then to the passage id. A rank
    breaks a tie only where its list votes (weight > 0); the thesaurus list never does: its words are
    not the user's."""
    fused: dict[str, FusedHit] = {}
    for rank, hit in enumerate(dense, 1):
        fused[hit.passage.id] = FusedHit(hit=hit, score=cfg.dense_weight / (cfg.rrf_k + rank), dense_rank=rank)
    _vote(fused, keyword, cfg.keyword_weight, cfg, "keyword_rank")
    _vote(fused, expanded or [], cfg.expansion_weight, cfg, "expansion_rank")
    big = len(dense) + len(keyword) + len(expanded or []) + 1
    dense_decides, keyword_decides = cfg.dense_weight > 0, cfg.keyword_weight > 0
    return sorted(
        fused.values(),
        key=lambda f: (
            -f.score,
            (f.dense_rank if dense_decides else None) or big,
            (f.keyword_rank if keyword_decides else None) or big,
            f.hit.passage.id,
        ),
    )


def _vote(
    fused: dict[str, FusedHit], hits: list[PassageHit], weight: float, cfg: FusionConfig, rank_field: str
) -> None:
    """A keyword list's votes: only hits scoring at least keyword_min_ratio of its best hit."""
    best = hits[0].score if hits else 0.0
    for rank, hit in enumerate(hits, 1):
        if best > 0 and hit.score < cfg.keyword_min_ratio * best:
            break
        vote = weight / (cfg.rrf_k + rank)
        entry = fused.get(hit.passage.id)
        if entry is None:
            entry = fused[hit.passage.id] = FusedHit(hit=hit, score=0.0)
        entry.score += vote
        setattr(entry, rank_field, rank)
