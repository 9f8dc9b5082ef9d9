"""Verbatim and near-verbatim repeated paragraphs.

Paragraphs are compared without their list number (5.加强… and 6.加强… are the same item), punctuation
and spaces. Exact key matches are verbatim repeats; otherwise a paragraph of similar length whose
character-bigram overlap is high is checked with difflib's ratio. Short lines (headings) are never
compared: repeated headings are the structure parser's business.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from difflib import SequenceMatcher

from pydantic import BaseModel

from ingest.limits import checkpoint
from ingest.structure import parse_marker

MIN_CHARS = 12  # shorter paragraphs (headings, 警告；) legitimately repeat
OVERLAP = 0.8  # character-bigram Jaccard a near copy needs before difflib is asked
NEAR_RATIO = 0.95  # 博士…/硕士… provisions of a law differ by one character in thirty (0.93): not repeats
# Parallel provisions (（三）法律、行政法规规定的其他情形。) recur across a law; a repeat only counts
# when it follows its previous copy closely, or is long enough that recurring is no coincidence.
NEAR_WINDOW = 3
ANYWHERE_CHARS = 50
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


class DuplicateHit(BaseModel):
    index: int  # the repeated paragraph
    of_index: int  # the earlier paragraph it repeats
    similarity: float  # 1.0 for a verbatim repeat


def _key(text: str) -> str:
    marker = parse_marker(text)
    body = marker.rest if marker is not None and marker.kind not in ("条",) else text
    return _NOISE.sub("", body)


def _bigrams(text: str) -> frozenset[str]:
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


def _prefix_length(size: int) -> int:
    """Bigrams of a paragraph's rarest-first prefix that a near copy must share at least one of.

    A near copy needs a bigram overlap (Jaccard) of OVERLAP, so the two share at least
    ceil(OVERLAP * max(|A|, |B|)) bigrams; two sets sharing α elements share one among their first
    |X| - α + 1 in any one global order (the prefix filter of similarity joins). With α taken per set,
    ceil(OVERLAP * |X|) ≤ α, the prefixes are only longer, so no near copy is missed."""
    return size - math.ceil(OVERLAP * size - 1e-9) + 1  # the tolerance: 0.8 * 15 is 12.000000000000002


def find_duplicates(paragraphs: list[str]) -> list[DuplicateHit]:
    """Verbatim and near repeats, each with the earlier paragraph it repeats. Candidates for a near
    repeat come from an index of the kept paragraphs' rarest bigrams (exact: see _prefix_length), so
    a long document costs about linear time, not a comparison of every pair."""
    hits: list[DuplicateHit] = []
    exact: dict[str, int] = {}
    kept: dict[int, tuple[str, frozenset[str]]] = {}
    last_copy: dict[int, int] = {}  # kept paragraph → index of its latest (possibly dropped) copy
    keys = [_key(text) for text in paragraphs]
    frequency = Counter(g for key in keys if len(key) >= MIN_CHARS for g in _bigrams(key))
    postings: dict[str, list[int]] = {}  # bigram → kept paragraphs whose prefix holds it, in order
    owner: dict[int, int] = {}  # paragraph → the kept paragraph it is (itself) or repeats

    def counts(original: int, i: int, key: str) -> bool:
        return len(key) >= ANYWHERE_CHARS or i - last_copy[original] <= NEAR_WINDOW

    def prefix(grams: frozenset[str]) -> list[str]:
        return sorted(grams, key=lambda g: (frequency[g], g))[: _prefix_length(len(grams))]

    for i, key in enumerate(keys):
        checkpoint()  # the ingest's deadline and cancel flag, once a paragraph
        if len(key) < MIN_CHARS:
            continue
        if key in exact and counts(exact[key], i, key):
            hits.append(DuplicateHit(index=i, of_index=exact[key], similarity=1.0))
            last_copy[exact[key]], owner[i] = i, exact[key]
            continue
        grams = _bigrams(key)
        head = prefix(grams)
        if len(key) >= ANYWHERE_CHARS:
            candidates = {j for g in head for j in postings.get(g, ())}
        else:  # only a paragraph whose latest copy is among the last NEAR_WINDOW can count
            candidates = {owner[k] for k in range(i - NEAR_WINDOW, i) if k in owner}
        best: tuple[float, int] | None = None
        for j in sorted(candidates):
            other, other_grams = kept[j]
            if not 0.9 <= len(key) / len(other) <= 1.1 or not counts(j, i, key):
                continue
            overlap = len(grams & other_grams) / max(1, len(grams | other_grams))
            if overlap < OVERLAP:
                continue
            ratio = SequenceMatcher(None, key, other, autojunk=False).ratio()
            if ratio >= NEAR_RATIO and (best is None or ratio > best[0]):
                best = (ratio, j)
        if best is not None:
            hits.append(DuplicateHit(index=i, of_index=best[1], similarity=round(best[0], 3)))
            last_copy[best[1]], owner[i] = i, best[1]
            continue
        exact.setdefault(key, i)
        last_copy[i] = owner[i] = i
        kept[i] = (key, grams)
        for g in head:
            postings.setdefault(g, []).append(i)
    return hits
