"""Verbatim and near-verbatim repeated paragraphs.

Paragraphs are compared without their list number (5.加强… and 6.加强… are the same item), punctuation
and spaces. Exact key matches are verbatim repeats; otherwise a paragraph of similar length whose
character-bigram overlap is high is checked with difflib's ratio. Short lines (headings) are never
compared: repeated headings are the structure parser's business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from pydantic import BaseModel

from ingest.structure import parse_marker

MIN_CHARS = 12  # shorter paragraphs (headings, 警告；) legitimately repeat
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


@dataclass(frozen=True, slots=True)
class _Kept:
    """A paragraph later ones are compared with."""

    index: int
    key: str
    grams: frozenset[str]


def find_duplicates(paragraphs: list[str]) -> list[DuplicateHit]:
    """Each paragraph that repeats an earlier kept one, verbatim or near-verbatim, in text order."""
    hits: list[DuplicateHit] = []
    exact: dict[str, int] = {}
    kept: list[_Kept] = []
    last_copy: dict[int, int] = {}  # kept paragraph → index of its latest (possibly dropped) copy

    def counts(original: int, i: int, key: str) -> bool:
        return len(key) >= ANYWHERE_CHARS or i - last_copy[original] <= NEAR_WINDOW

    for i, text in enumerate(paragraphs):
        key = _key(text)
        if len(key) < MIN_CHARS:
            continue
        if key in exact and counts(exact[key], i, key):
            hits.append(DuplicateHit(index=i, of_index=exact[key], similarity=1.0))
            last_copy[exact[key]] = i
            continue
        grams = _bigrams(key)
        near = _nearest_copy(key, grams, [k for k in kept if counts(k.index, i, key)])
        if near is not None:
            hits.append(DuplicateHit(index=i, of_index=near[1], similarity=round(near[0], 3)))
            last_copy[near[1]] = i
            continue
        exact.setdefault(key, i)
        last_copy[i] = i
        kept.append(_Kept(index=i, key=key, grams=grams))
    return hits


def _nearest_copy(key: str, grams: frozenset[str], candidates: list[_Kept]) -> tuple[float, int] | None:
    """(ratio, index) of the most similar candidate the paragraph nearly repeats, or None: similar length,
    high bigram overlap (a cheap filter), then difflib's ratio at least NEAR_RATIO."""
    best: tuple[float, int] | None = None
    for other in candidates:
        if not 0.9 <= len(key) / len(other.key) <= 1.1:
            continue
        overlap = len(grams & other.grams) / max(1, len(grams | other.grams))
        if overlap < 0.8:
            continue
        ratio = SequenceMatcher(None, key, other.key, autojunk=False).ratio()
        if ratio >= NEAR_RATIO and (best is None or ratio > best[0]):
            best = (ratio, other.index)
    return best
