"""Which quantitative target (quantity, unit, object, verb, scope …) a count question means."""

from __future__ import annotations

import re
from functools import lru_cache

from graph.models import Edge
from graph.views import Target
from search_api.ask.linking import squash

# Question words carry no content: removing them leaves what is being counted.
_ASKING = re.compile(r"几[所个家项批名类年次条支座期位种人]?|多少|数量|数目|总数|有|是|的|了|吗|呢|[？?。！!，,]")
MIN_SCORE = 0.45
SAME_OBJECT = 0.6  # share of character pairs two targets' objects must share to be about the same thing


@lru_cache(maxsize=16_384)
def _bigrams(text: str) -> frozenset[str]:
    """Memoised: a count question scores every target (1,103 at 100k passages), whose texts repeat."""
    grams = {text[i : i + 2] for i in range(len(text) - 1)} if len(text) > 1 else {text} if text else set()
    return frozenset(grams)


def _coverage(part: str, whole: str) -> float:
    """Share of `part`'s character bigrams that occur in `whole`."""
    grams = _bigrams(part)
    return len(grams & _bigrams(whole)) / len(grams) if grams else 0.0


def target_text(target: Target) -> str:
    composed = "".join(p for p in (target.scope, target.verb, target.object) if p)
    return composed or target.text or target.name


def score_target(
    question: str, target: Target, unit: str | None, programme_ids: list[str], owners: list[Edge]
) -> float:
    q = squash(question)
    core = _ASKING.sub("", q)
    obj = squash(target.object or target.name)
    context = squash(target_text(target))
    score = 0.6 * _coverage(obj, q) + 0.4 * _coverage(core, context)
    if unit and target.unit:
        score += 0.2 if unit == target.unit else -0.4
    if programme_ids and any(e.source in programme_ids for e in owners):
        score += 0.5
    return score


def measures_fit(measure: str | None, target: Target) -> bool:
    """A question asking for money, time or a share (多少亿元, 几个小时) fits only a target in that unit."""
    if measure is None:
        return True
    unit = target.unit or ""
    return measure in unit or unit in measure if unit else False


def best_targets(
    question: str,
    targets: list[Target],
    unit: str | None,
    programme_ids: list[str],
    owners: dict[str, list[Edge]],
    measure: str | None = None,
) -> list[Target]:
    """Targets that fit the question, best first (only those over MIN_SCORE, in the measure asked)."""
    scored = [
        (score_target(question, t, unit, programme_ids, owners.get(t.id, [])), t)
        for t in targets
        if t.quantity is not None and measures_fit(measure, t)
    ]
    scored = [(s, t) for s, t in scored if s >= MIN_SCORE]
    scored.sort(key=lambda st: (-st[0], st[1].id))
    return [t for _, t in scored]


def same_thing(a: Target, b: Target) -> bool:
    """Two figures about the same thing (10所 and 30所 “楚怡”优秀中职学校): objects that share most of
    their character pairs, in the same unit."""
    if (a.unit or "") != (b.unit or ""):
        return False
    x, y = squash(a.object or a.name), squash(b.object or b.name)
    return max(_coverage(x, y), _coverage(y, x)) >= SAME_OBJECT
