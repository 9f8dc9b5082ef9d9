"""Extractive answers: the best sentence(s) of the best passages, not whole passages.

Sentences of the top passages are scored by meaning (bge cosine to the question), by how much of the
question's content words they contain, and by the rank of their passage; the winner is the answer. A
heading-like winner ("1.建设…专业智库。") is followed by the next sentence of its passage, which is
where the content is.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

import numpy as np
from pydantic import BaseModel

from graph.models import SearchFilters
from graph.text import Tokenizer, tokenize
from ingest.embedding import Embedder
from ingest.sentences import SentenceVectors, split_sentences, strip_numbering
from search_api.ask.linking import squash
from search_api.hybrid import FusedHit
from search_api.retrieval import LibraryRetriever

_COUNT_Q = re.compile(r"几|多少|数量")
_LIST_Q = re.compile(r"哪些|哪几|什么|包括|包含|有何")
# A number, in digits or as statutes write it (百分之一点五, 九十天, 三十日, 四十四小时).
_DIGIT = re.compile(
    r"\d|百分之|[一二两三四五六七八九十百千万]+(?:点[一二三四五六七八九〇零]+)?(?:个|所|名|人|天|日|周|小时|年|岁|倍|元|次)"
)
_WH = re.compile(r"哪些|哪几|哪个|哪里|哪|什么|几|多少|如何|怎么|怎样|为何|为什么|是否|吗")
FOCUS_BEFORE = 4  # characters before the question word that belong to what is asked

PASSAGES = 6
VECTOR_CACHE = 20_000
SHORT = 20  # a sentence shorter than this (numbering removed) is a heading; take the next one too
W_DENSE, W_LEXICAL, W_PRIOR = 0.5, 0.4, 0.1


class Sentence(BaseModel):
    text: str
    passage_id: str
    passage_rank: int
    index: int  # position in its passage


class ExtractiveAnswer(BaseModel):
    text: str
    passage_ids: list[str]
    sentences: list[Sentence]


def content_terms(question: str, tokenizer: Tokenizer | None = None) -> list[tuple[str, float]]:
    """The question's content words with weights. Words next to the question word (要弘扬[哪些]精神理念,
    被支持建设[什么]) say what is asked, so they weigh double: a sentence that only repeats the topic
    of the question is not its answer. Segmented with `tokenizer` (the store's, which keeps its names
    whole), else with jieba's base dictionary."""
    words = tokenizer.tokenize if tokenizer is not None else tokenize
    q = squash(question)
    focus: set[str] = set()
    wh = _WH.search(q)
    if wh:
        focus.update(words(q[max(0, wh.start() - FOCUS_BEFORE) : wh.start()]))
        focus.update(words(q[wh.end() :]))
    return [(t, 2.0 if t in focus else 1.0) for t in dict.fromkeys(words(question)) if len(t) >= 2]


def lexical_coverage(terms: list[tuple[str, float]], sentence: str) -> float:
    """Weighted share of the question's content that the sentence contains. A word counts by its length
    up to 3 characters: tokenize() gives a long name and also its parts, so the name itself must not
    outweigh a sentence that has the parts and what was asked."""
    if not terms:
        return 0.0
    text = squash(sentence)
    total = sum(min(len(t), 3) * w for t, w in terms)
    return sum(min(len(t), 3) * w for t, w in terms if t in text) / total


class ExtractiveAnswerer:
    def __init__(
        self, retriever: LibraryRetriever, embedder: Embedder, sentence_vectors: SentenceVectors | None = None
    ) -> None:
        self._retriever = retriever
        self._embedder = embedder
        # Sentence vectors by text: the ones ingest computed (`sentence_vectors`, on disk), and in memory
        # those read or embedded for recent questions (the same passages come back for many). Bounded;
        # cleared whole when full.
        self._kept = sentence_vectors
        self._vectors: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def _remember(self, found: dict[str, np.ndarray]) -> None:
        with self._lock:
            if len(self._vectors) + len(found) > VECTOR_CACHE:
                self._vectors.clear()
            self._vectors.update(found)

    def _read_kept(self, texts: list[str]) -> None:
        """Bring the vectors ingest kept for these sentences into memory."""
        if self._kept is None:
            return
        with self._lock:
            wanted = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if wanted:
            self._remember(self._kept.get_many(wanted))

    def _sentence_vectors(self, texts: list[str]) -> np.ndarray:
        self._read_kept(texts)
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if missing:
            computed = [np.asarray(v, dtype=np.float32) for v in self._embedder.embed_passages(missing)]
            if self._kept is not None:
                self._kept.put_many(missing, computed)
            self._remember(dict(zip(missing, computed, strict=True)))
        with self._lock:
            known = dict(self._vectors)
        return np.stack([known[t] for t in texts])

    def passage_vector(self, text: str) -> np.ndarray:
        """A text's passage embedding, from the sentence vectors when it is a sentence just scored (an
        answer of one sentence is)."""
        return self._sentence_vectors([text])[0]

    def passages(self, question: str, filters: SearchFilters | None = None) -> list[FusedHit]:
        return self._retriever.retrieve(question, PASSAGES, filters)[:PASSAGES]

    def answer(self, question: str, filters: SearchFilters | None = None) -> ExtractiveAnswer | None:
        hits = self.passages(question, filters)
        if not hits and filters is not None:
            hits = self.passages(question)
        if not hits:
            return None
        by_passage: dict[str, list[Sentence]] = {}
        candidates: list[Sentence] = []
        seen: set[str] = set()
        for rank, fused in enumerate(hits, 1):
            p = fused.hit.passage
            sentences = [
                Sentence(text=s, passage_id=p.id, passage_rank=rank, index=i)
                for i, s in enumerate(split_sentences(p.text))
            ]
            by_passage[p.id] = sentences
            for s in sentences:
                key = squash(strip_numbering(s.text))
                if len(key) >= 4 and key not in seen:
                    seen.add(key)
                    candidates.append(s)
        if not candidates:
            return None
        scores = self._score(question, candidates)
        best = candidates[int(np.argmax(scores))]
        chosen = [best]
        siblings = by_passage[best.passage_id]
        if len(strip_numbering(best.text)) < SHORT and best.index + 1 < len(siblings):
            chosen.append(siblings[best.index + 1])
        text = "".join(strip_numbering(s.text) if i == 0 else s.text for i, s in enumerate(chosen))
        return ExtractiveAnswer(text=text, passage_ids=[best.passage_id], sentences=chosen)

    def _score(self, question: str, candidates: list[Sentence]) -> np.ndarray:
        """Each candidate's score; a sentence that cannot win is left unembedded and scored -inf (see
        `winnable`), so the argmax is the one a full scoring gives."""
        query = np.asarray(self._retriever.hybrid.query_vector(question), dtype=np.float32)
        bodies = [strip_numbering(s.text) for s in candidates]
        terms = content_terms(question, self._retriever.hybrid.tokenizer)
        lexical = np.array([lexical_coverage(terms, s.text) for s in candidates])
        prior = np.array([1.0 / s.passage_rank for s in candidates])
        counting, listing = bool(_COUNT_Q.search(question)), bool(_LIST_Q.search(question))
        digits = np.array([counting and bool(_DIGIT.search(b)) for b in bodies], dtype=bool)
        lists = np.array([listing and b.count("、") >= 2 for b in bodies], dtype=bool)
        short = np.array([len(b) < 8 for b in bodies], dtype=bool)

        def full(dense: np.ndarray) -> np.ndarray:
            scores = W_DENSE * dense + W_LEXICAL * lexical + W_PRIOR * prior
            scores[digits] += 0.1
            scores[lists] += 0.05
            scores[short] -= 0.2
            return scores

        def embed(indices: list[int]) -> np.ndarray:
            return self._sentence_vectors([bodies[i] for i in indices]) @ query

        self._read_kept(bodies)
        return winnable(full(np.full(len(candidates), DENSE_MAX)), self._cached_mask(bodies), full, embed)

    def _cached_mask(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            return np.array([t in self._vectors for t in texts], dtype=bool)


# Cosine of two unit vectors (the embedder normalises) is at most 1; the margin covers float32 rounding.
DENSE_MAX = 1.0 + 1e-4
SEED = 2  # embedded first, to have an exact score to prune the rest against


def winnable(
    bounds: np.ndarray,
    cached: np.ndarray,
    full: Callable[[np.ndarray], np.ndarray],
    embed: Callable[[list[int]], np.ndarray],
) -> np.ndarray:
    """Scores of the candidates that can still win, -inf for the rest, embedding as few as it can.

    `bounds` is each candidate's score with the largest possible meaning (DENSE_MAX); `full(dense)` the
    scores given the meanings; `embed(indices)` those candidates' meanings. Cached sentences are free and
    scored first; then the SEED best bounds that can still reach the best exact score so far; then, in one
    call, every sentence whose bound still reaches it (at most two model calls). A sentence left out has a
    bound below a score some sentence really has, so it is neither the winner nor tied with it: argmax of
    the result is argmax of a full scoring.
    (Measured on the 37 eval questions: docs/benchmarks.md, "Ask with its extractive answer pruned".)"""
    dense = np.full(len(bounds), np.nan)
    order = [int(i) for i in np.argsort(-bounds, kind="stable")]
    if cached.any():
        first = [int(i) for i in np.flatnonzero(cached)]
        dense[first] = embed(first)
    seeded = False
    while True:
        known = ~np.isnan(dense)
        best = float(full(np.where(known, dense, 0.0))[known].max()) if known.any() else -np.inf
        pending = [i for i in order if not known[i] and bounds[i] >= best]
        if not pending:
            break
        batch, seeded = (pending if seeded else pending[:SEED]), True
        dense[batch] = embed(batch)
    known = ~np.isnan(dense)
    return np.where(known, full(np.where(known, dense, 0.0)), -np.inf)
