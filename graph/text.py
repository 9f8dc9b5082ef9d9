"""Chinese tokenisation shared by both keyword indexes (BM25 embedded, full-text on Neo4j)."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable

import jieba

_lock = threading.Lock()
_user_words: set[str] = set()
_KEEP = re.compile(r"[\w\u4e00-\u9fff]")
_STOP = frozenset(
    (
        "的 了 和 与 及 或 等 在 是 为 对 将 把 被 由 以 之 其 中 上 下 有 要 各 个 "
        "吗 呢 什么 哪些 哪 怎么 如何 多少 几"
    ).split()
)


def add_words(words: Iterable[str]) -> None:
    """Teach jieba known names (organisations, programmes) so they are never split."""
    with _lock:
        for w in words:
            w = w.strip()
            if len(w) >= 2 and w not in _user_words:
                jieba.add_word(w, freq=200000)
                _user_words.add(w)


def tokenize(text: str) -> list[str]:
    """Search-engine style segmentation: whole words plus their sub-words, lower-cased, no stop words."""
    out: list[str] = []
    for tok in jieba.cut_for_search(text):
        tok = tok.strip().lower()
        if tok and _KEEP.search(tok) and tok not in _STOP:
            out.append(tok)
    return out
