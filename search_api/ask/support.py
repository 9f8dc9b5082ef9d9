"""Does the evidence support an answer? Measured, not assumed: an answer is given only when the passages
it rests on hold what the question is about.

The question's content words (jieba's base-dictionary words, question words and stop words dropped) are weighted by how
rare they are in the library (IDF from the keyword index): 天气, 签证, 量子计算机, 校长 of a named school
weigh a lot and are missing from every passage, 职业, 教育 weigh little. A word counts as found when the
evidence holds it, one of its thesaurus words (员工 → 劳动者), or all of its parts (学费标准 → 学费, 标准).
`coverage` is the found share of the weight. The meaning of the answer sentence (bge cosine to the
question) is the second signal: a paraphrase in everyday words can miss the statute's words and still
mean the same. The thresholds are in SupportPolicy, measured with scripts/eval_refusal.py (README).
"""

from __future__ import annotations

import math
import re
import threading

from pydantic import BaseModel, Field

from graph.store import GraphStore
from graph.text import plain_words
from search_api.ask.linking import squash
from search_api.expansion import Thesaurus
from search_api.references.places import places_in, short_place

# Words that ask rather than say what is asked about (kept apart from graph.text's index stop words).
QUESTION_WORDS = frozenset(
    (
        "怎么样 怎样 怎么 如何 什么 哪些 哪个 哪里 哪儿 哪 多少 几 是否 吗 "
        "呢 吧 啊 呀 么 能 能否 能不能 可以 可不可以 有没有 是不是 应该 "
        "应当 需要 要 会 请问 请 规定 怎么说 说 讲 内容 有 是 的 了 和 "
        "与 及 或 等 在 为 对 将 把 被 由 以 之 其 中 上 下 各 个 "
        "一共 共 问题 情况 方面 相关 有关 关于 一个 这个 那个 这份 这些 "
        "那些 这 那 我 我们 你 您 他 她 它 他们 给 让 就 都 也 还 又 "
        "再 最 很 按 按照 根据 依据 进行 具体 一下 知道 告诉 什么样 哪种 "
        "哪类 怎么办 为什么 为何 多久 多长 多大 多高 几个 几年 几天 几所 "
        "几项 办 做 干 叫 算 如果 可能 一般 主要 目前 现在 现行 所 里 "
        "中的 里面 什么时候 时候 谁 号 条 章 款 项 我国"
    ).split()
)
_KEEP = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
_WH = re.compile(r"哪些|哪几|哪个|哪里|哪|什么|几|多少|如何|怎么|怎样|为何|为什么|是否|是谁|谁|吗")
DF_PROBE = 200  # passages read to count a word's document frequency (a df this high is a common word)
FOCUS_BEFORE, FOCUS_AFTER = 4, 6  # characters around the question word that say what is asked
FOCUS_WEIGHT = 2.0


class Evidence(BaseModel):
    title: str
    text: str


class Support(BaseModel):
    coverage: float = Field(description="IDF-weighted share of the question's content words the evidence holds")
    meaning: float = Field(description="bge cosine of the answer sentence to the question")
    words: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    focus: list[str] = Field(default_factory=list, description="the words next to the question word: what is asked")
    places: list[str] = Field(
        default_factory=list, description="places the question names that the evidence is not about"
    )
    focus_held: bool = Field(default=True, description="the evidence holds a word of what is asked (or none is)")


class SupportPolicy(BaseModel):
    """When to answer. Measured with scripts/eval_refusal.py on 95 questions over the library (30
    unanswerable: library_dev's 6 and our 24; 65 answerable: the ask items of library_dev, our held-out set
    and the seed's two sets); the table is in the README."""

    # An answer whose evidence holds this share of the question's weighted words is supported. At 0.5 all
    # 30 unanswerable are refused and 1 of 65 answerable (an everyday paraphrase without one statute word);
    # 0.45 answers 2 unanswerable, 0.55 refuses one more answerable: the boundary is narrow, so watch it.
    min_coverage: float = 0.5
    # Below it, only an answer sentence that means nearly what the question asks. From 0.75 up nothing
    # changes on our questions (0.7 answers 湖南省教育厅厅长叫什么名字); 0.8 sits inside that range.
    min_meaning_alone: float = 0.8
    # What is asked (校长[是谁], [多少]亿元) must be in the evidence: a passage about the named school
    # that never says 校长 covers the rest of the question and still does not answer it.
    require_focus: bool = True

    def supported(self, support: Support) -> bool:
        if support.places:
            return False
        if support.meaning >= self.min_meaning_alone:
            return True
        if self.require_focus and not support.focus_held:
            return False
        return support.coverage >= self.min_coverage


class SupportJudge:
    def __init__(self, store: GraphStore, thesaurus: Thesaurus, policy: SupportPolicy | None = None) -> None:
        self._store = store
        self._thesaurus = thesaurus
        self.policy = policy or SupportPolicy()
        self._df: dict[str, int] = {}
        self._passages = 1
        self._revision: int | None = None  # the store revision _df and _passages were counted at
        self._lock = threading.Lock()

    def _current(self) -> None:
        """Forget the counts when the store has been written since they were taken."""
        revision = self._store.revision()
        with self._lock:
            if revision == self._revision:
                return
        passages = max(1, self._store.stats().nodes.get("Passage", 1))
        with self._lock:
            self._df.clear()
            self._passages, self._revision = passages, revision

    def content_words(self, question: str) -> list[str]:
        """The words of the question that say what it is about."""
        words = []
        for raw in plain_words(squash(question)):
            w = raw.strip().lower()
            asking = w.startswith(("多少", "几", "哪", "什么")) or w.endswith(("什么", "多少"))  # 多少钱, 哪些方面
            if len(w) >= 2 and _KEEP.search(w) and w not in QUESTION_WORDS and not w.isdigit() and not asking:
                words.append(w)
        return list(dict.fromkeys(words))

    def document_frequency(self, word: str) -> int:
        """Passages holding the word (counted among the keyword index's best DF_PROBE for it); kept until
        the store's revision moves (assess() looks at it once a question)."""
        with self._lock:
            if word in self._df:
                return self._df[word]
        hits = self._store.keyword_search(self._store.tokenizer.search_tokens(word), DF_PROBE)
        df = sum(1 for h in hits if word in squash(h.passage.text))
        with self._lock:
            if len(self._df) > 50_000:
                self._df.clear()
            self._df[word] = df
        return df

    def idf(self, word: str, passages: int) -> float:
        return math.log(1 + passages / (1 + self.document_frequency(word)))

    def focus_words(self, question: str, words: list[str]) -> list[str]:
        """The content words right around the question word (校长[是谁], 多少[亿元], [就业率]是多少)."""
        q = squash(question)
        wh = _WH.search(q)
        if not wh:
            return []
        window = q[max(0, wh.start() - FOCUS_BEFORE) : wh.start()] + "|" + q[wh.end() : wh.end() + FOCUS_AFTER]
        return [w for w in words if w in window]

    def assess(self, question: str, evidence: list[Evidence], meaning: float) -> Support:
        self._current()
        words = self.content_words(question)
        focus = self.focus_words(question, words)
        places = self._unanswered_places(question, evidence)
        if not words:
            return Support(coverage=1.0, meaning=meaning, places=places)
        text = squash("\n".join(f"{e.title}\n{e.text}" for e in evidence))
        passages = self._passages
        total = found = 0.0
        missing = []
        for w in words:
            weight = self.idf(w, passages) * (FOCUS_WEIGHT if w in focus else 1.0)
            total += weight
            if self._holds(text, w):
                found += weight
            else:
                missing.append(w)
        coverage = found / total if total else 1.0
        held = not focus or any(w not in missing for w in focus)
        return Support(
            coverage=coverage,
            meaning=meaning,
            words=words,
            missing=missing,
            focus=focus,
            places=places,
            focus_held=held,
        )

    def _unanswered_places(self, question: str, evidence: list[Evidence]) -> list[str]:
        """Places the question asks about that the evidence does not speak for: a place the library never
        mentions (英国, 美国), or one another locality's text is cited for (上海 answered from 北京's
        regulation). A national text (no place in its title) speaks for every place in the country."""
        asked = places_in(question)
        if not asked:
            return []
        text = squash("\n".join(f"{e.title}\n{e.text}" for e in evidence))
        national = any(not places_in(e.title) for e in evidence)
        out = []
        for place in asked:
            short = short_place(place)
            if short in text:
                continue
            if self.document_frequency(short) == 0 or not national:
                out.append(place)
        return out

    def _holds(self, text: str, word: str) -> bool:
        if word in text:
            return True
        if any(s.lower() in text for s in self._thesaurus.expand(word)):
            return True
        parts = [p for p in plain_words(word, for_search=True) if len(p) >= 2 and p != word]
        return bool(parts) and all(p in text for p in parts)
