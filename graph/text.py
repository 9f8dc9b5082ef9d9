"""Chinese tokenisation shared by both keyword indexes (BM25 embedded, full-text on Neo4j).

A Tokenizer owns its own jieba dictionary and the known names (organisations, programmes …) it was
given, so that they come out whole; tokenize() then also emits their parts, so that 楚怡 and 教育厅
still match a passage that mentions 楚怡高水平高职院校 or 湖南省教育厅. The parts come from jieba's
base dictionary (which does not know the names, otherwise it would keep them whole) plus any other
known name inside the name.

Names are added without raising jieba's dictionary total (jieba's own add_word raises it, which
re-weighs every word of every text): so a text that contains none of the added names segments
exactly as before, and a store re-tokenises only the passages that contain a new name. `version`
names the dictionary (the algorithm and the sorted names); the embedded store records it with its
keyword index.

There is no process-wide tokenizer to teach: each store owns its Tokenizer (`GraphStore.tokenizer`),
indexes with it and is taught names through it, and queries are segmented with the store's tokenizer.
The module-level tokenize/search_tokens know jieba's base dictionary only and can learn nothing: the same
text always gives the same tokens, whatever was ingested before (tests, scripts, callers without a store).
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING

import jieba

_KEEP = re.compile(r"[\w\u4e00-\u9fff]")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
_STOP = frozenset(
    (
        "的 了 和 与 及 或 等 在 是 为 对 将 把 被 由 以 之 其 中 上 下 有 要 各 个 "
        "吗 呢 什么 哪些 哪 怎么 如何 多少 几"
    ).split()
)
_NAME_FREQ = 200000  # what a known name weighs in jieba's dictionary: above any ordinary word
# Bump when tokenize()/search_tokens() change what they emit for the same names: stores re-tokenise.
ALGORITHM = 1

_base_lock = threading.Lock()
_base: jieba.Tokenizer | None = None  # jieba's base dictionary, loaded once (about a second), never taught


def _base_dictionary() -> jieba.Tokenizer:
    global _base
    with _base_lock:
        if _base is None:
            base = jieba.Tokenizer()
            base.initialize()
            _base = base
        return _base


def plain_words(text: str, *, for_search: bool = False) -> list[str]:
    """jieba's segmentation with its base dictionary only (never taught names, so the same text always
    gives the same words, whatever was ingested before): precise mode, or search mode with sub-words."""
    base = _base_dictionary()
    return list(base.cut_for_search(text) if for_search else base.cut(text))


if TYPE_CHECKING:
    import jieba.posseg

_tagger_lock = threading.Lock()
_tagger: jieba.posseg.POSTokenizer | None = None  # part-of-speech tags over the base dictionary, never taught


def tagged_words(text: str) -> list[tuple[str, str]]:
    """(word, part-of-speech flag) pairs from jieba's tagger over the base dictionary (ns: a place)."""
    global _tagger
    import jieba.posseg  # its tables load on import: only when a text is first tagged

    with _tagger_lock:
        if _tagger is None:
            _tagger = jieba.posseg.POSTokenizer(_base_dictionary())
        tagger = _tagger
    return [(pair.word, pair.flag) for pair in tagger.cut(text)]


def _keep(tok: str) -> str | None:
    tok = tok.strip().lower()
    return tok if tok and _KEEP.search(tok) and tok not in _STOP else None


class Tokenizer:
    """jieba segmentation with known names kept whole (and their parts added), lower-cased, no stop words.

    Thread-safe. Names only accumulate; the dictionary is built on first use (no I/O here)."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        self._lock = threading.Lock()
        self._words: frozenset[str] = frozenset()
        self._jieba: jieba.Tokenizer | None = None
        self._parts: dict[str, tuple[str, ...]] = {}
        self._version: str | None = None
        self.add_words(words)

    @property
    def words(self) -> frozenset[str]:
        return self._words

    @property
    def version(self) -> str:
        """Changes exactly when what the tokenizer emits may change (new names, new algorithm)."""
        with self._lock:
            if self._version is None:
                digest = hashlib.sha256("\n".join(sorted(self._words)).encode("utf-8")).hexdigest()[:16]
                self._version = f"{ALGORITHM}:{len(self._words)}:{digest}"
            return self._version

    def add_words(self, words: Iterable[str]) -> frozenset[str]:
        """Teach known names (two characters or more); returns the ones that were new."""
        new = frozenset(w for w in (w.strip() for w in words) if len(w) >= 2) - self._words
        if not new:
            return new
        with self._lock:
            new -= self._words
            if self._jieba is not None:
                self._teach(self._jieba, new)
            self._words = self._words | new
            self._parts = {}
            self._version = None
        return new

    @staticmethod
    def _teach(tk: jieba.Tokenizer, words: Iterable[str]) -> None:
        total = tk.total
        for w in words:
            tk.add_word(w, freq=_NAME_FREQ)
        tk.total = total  # see the module docstring: other texts segment as before

    def _dictionary(self) -> jieba.Tokenizer:
        tk = self._jieba
        if tk is not None:
            return tk
        base = _base_dictionary()
        with self._lock:
            if self._jieba is None:
                tk = jieba.Tokenizer()
                tk.FREQ, tk.total, tk.initialized = dict(base.FREQ), base.total, True
                self._teach(tk, self._words)
                self._jieba = tk
            return self._jieba

    def _name_parts(self, name: str) -> tuple[str, ...]:
        """The parts of a known name: its base-dictionary words and the other known names inside it."""
        cached = self._parts.get(name)
        if cached is not None:
            return cached
        words = self._words
        inner = sorted(w for w in words if w != name and w in name)
        parts = [t for t in (_keep(p) for p in _base_dictionary().cut_for_search(name)) if t]
        for word in inner:  # strictly shorter names, so this ends
            parts.append(word.lower())
            parts.extend(self._name_parts(word))
        found = tuple(dict.fromkeys(p for p in parts if p != name.lower()))
        self._parts[name] = found
        return found

    def tokenize(self, text: str) -> list[str]:
        """Search-engine style segmentation: whole words plus their sub-words, lower-cased, no stop words.

        Known names longer than two characters are followed by their parts (see module docstring)."""
        words = self._words
        out: list[str] = []
        for raw in self._dictionary().cut_for_search(text):
            tok = _keep(raw)
            if tok is None:
                continue
            stripped = raw.strip()
            if len(stripped) > 2 and stripped in words:
                # cut_for_search has just emitted the dictionary sub-words of this name; add only the rest.
                seen: set[str] = set()
                i = len(out) - 1
                while i >= 0 and out[i] in tok and out[i] != tok:
                    seen.add(out[i])
                    i -= 1
                out.append(tok)
                out.extend(p for p in self._name_parts(stripped) if p not in seen)
            else:
                out.append(tok)
        return out

    def search_tokens(self, text: str) -> list[str]:
        """What both keyword indexes hold for a passage, and what a keyword query should send: jieba words
        (tokenize) plus the bigrams that are not already words of the text. scripts/bench_fulltext.py
        measured words+bigrams against words alone and against Lucene's cjk analyzer."""
        words = self.tokenize(text)
        known = set(words)
        return words + [b for b in bigrams(text) if b not in known]


def bigrams(text: str) -> list[str]:
    """Overlapping two-character pieces of every run of Chinese characters (what Lucene's cjk analyzer
    indexes). They match across jieba's word boundaries: 包含技工学校 shares 含技 with 含技工院校."""
    return [run[i : i + 2] for run in _HAN_RUN.findall(text) for i in range(len(run) - 1)]


def tokenize(text: str) -> list[str]:
    """Tokenizer.tokenize of a tokenizer that knows no names: jieba's base dictionary only."""
    return [t for t in (_keep(raw) for raw in _base_dictionary().cut_for_search(text)) if t]


def search_tokens(text: str) -> list[str]:
    """Tokenizer.search_tokens of a tokenizer that knows no names (words, then the other bigrams)."""
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
