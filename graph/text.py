"""Chinese tokenisation shared by both keyword indexes (BM25 embedded, full-text on Neo4j).

Known names (organisations, programmes …) are taught to jieba with add_words so that they come out
whole; tokenize() then also emits their parts, so that 楚怡 and 教育厅 still match a passage that
mentions 楚怡高水平高职院校 or 湖南省教育厅. The parts come from a second jieba tokenizer that does not
know the names (otherwise it would keep them whole) plus any other known name inside the name.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from functools import lru_cache

import jieba

_lock = threading.Lock()
_user_words: set[str] = set()
_KEEP = re.compile(r"[\w\u4e00-\u9fff]")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
_STOP = frozenset(
    (
        "的 了 和 与 及 或 等 在 是 为 对 将 把 被 由 以 之 其 中 上 下 有 要 各 个 "
        "吗 呢 什么 哪些 哪 怎么 如何 多少 几"
    ).split()
)
# Built on first use (loading the dictionary takes about a second); never taught the user words.
_base: jieba.Tokenizer | None = None


def add_words(words: Iterable[str]) -> None:
    """Teach jieba known names (organisations, programmes) so they are never split."""
    with _lock:
        added = False
        for w in words:
            w = w.strip()
            if len(w) >= 2 and w not in _user_words:
                jieba.add_word(w, freq=200000)
                _user_words.add(w)
                added = True
        if added:
            _name_parts.cache_clear()


def _keep(tok: str) -> str | None:
    tok = tok.strip().lower()
    return tok if tok and _KEEP.search(tok) and tok not in _STOP else None


@lru_cache(maxsize=65536)
def _name_parts(name: str) -> tuple[str, ...]:
    """The parts of a known name: its base-dictionary words and the other known names inside it."""
    global _base
    with _lock:
        if _base is None:
            _base = jieba.Tokenizer()
        inner = sorted(w for w in _user_words if w != name and w in name)
    parts = [t for t in (_keep(p) for p in _base.cut_for_search(name)) if t]
    for word in inner:  # strictly shorter names, so this ends
        parts.append(word.lower())
        parts.extend(_name_parts(word))
    return tuple(dict.fromkeys(p for p in parts if p != name.lower()))


def tokenize(text: str) -> list[str]:
    """Search-engine style segmentation: whole words plus their sub-words, lower-cased, no stop words.

    Known names longer than two characters are followed by their parts (see module docstring)."""
    out: list[str] = []
    for raw in jieba.cut_for_search(text):
        tok = _keep(raw)
        if tok is None:
            continue
        stripped = raw.strip()
        if len(stripped) > 2 and stripped in _user_words:
            # cut_for_search has just emitted the dictionary sub-words of this name; add only the rest.
            seen: set[str] = set()
            i = len(out) - 1
            while i >= 0 and out[i] in tok and out[i] != tok:
                seen.add(out[i])
                i -= 1
            out.append(tok)
            out.extend(p for p in _name_parts(stripped) if p not in seen)
        else:
            out.append(tok)
    return out


def bigrams(text: str) -> list[str]:
    """Overlapping two-character pieces of every run of Chinese characters (what Lucene's cjk analyzer
    indexes). They match across jieba's word boundaries: 包含技工学校 shares 含技 with 含技工院校."""
    return [run[i : i + 2] for run in _HAN_RUN.findall(text) for i in range(len(run) - 1)]


def search_tokens(text: str) -> list[str]:
    """What both keyword indexes hold for a passage, and what a keyword query should send: jieba words
    (tokenize) plus the bigrams that are not already words of the text. scripts/bench_fulltext.py
    measured words+bigrams against words alone and against Lucene's cjk analyzer."""
    words = tokenize(text)
    known = set(words)
    return words + [b for b in bigrams(text) if b not in known]


# --- sentences and quotes: the one splitter and the one quote stripper every package uses -------------

# Where a Chinese sentence (or a clause a policy text ends with ；) ends.
SENTENCE_ENDS = "。！？；!?;"
# Quote marks policy text puts around names (“楚怡”, 「…」); brackets such as 《》 are not quotes.
QUOTES = "“”\"「」『』‘’'"
_SENTENCE = re.compile(f"[^{SENTENCE_ENDS}]+[{SENTENCE_ENDS}]?")
_SENTENCE_OR_LINE = re.compile(f"[^{SENTENCE_ENDS}\\n]+[{SENTENCE_ENDS}]?")
_QUOTE_CHARS = re.compile(f"[{re.escape(QUOTES)}]")


def sentence_spans(text: str, *, at_newlines: bool = False) -> list[tuple[int, int]]:
    """(start, end) of each sentence, its end mark included; with at_newlines a line break ends one too."""
    pattern = _SENTENCE_OR_LINE if at_newlines else _SENTENCE
    return [m.span() for m in pattern.finditer(text)]


def split_sentences(text: str, *, at_newlines: bool = False) -> list[str]:
    """The sentences of text, stripped, empty ones dropped."""
    return [s for s in (text[a:b].strip() for a, b in sentence_spans(text, at_newlines=at_newlines)) if s]


def sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """(start, end) of the sentence that holds position pos."""
    start = max(text.rfind(c, 0, pos) for c in SENTENCE_ENDS) + 1
    ends = [i for i in (text.find(c, pos) for c in SENTENCE_ENDS) if i != -1]
    return start, (min(ends) + 1 if ends else len(text))


def strip_quotes(text: str) -> str:
    """text without quote marks (“楚怡”文化传承基地 → 楚怡文化传承基地)."""
    return _QUOTE_CHARS.sub("", text)
