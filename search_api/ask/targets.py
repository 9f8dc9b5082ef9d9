"""Which quantitative target (Target node: quantity, unit, object, verb, scope …) a count question means."""

from __future__ import annotations

import re

from graph.models import Edge, Node
from search_api.ask.linking import squash

# Question words carry no content: removing them leaves what is being counted.
_ASKING = re.compile(r"几[所个家项批名类年次条支座期位种人]?|多少|数量|数目|总数|有|是|的|了|吗|呢|[？?。！!，,]")
MIN_SCORE = 0.45


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} if len(text) > 1 else {text} if text else set()


def _coverage(part: str, whole: str) -> float:
    """Share of `part`'s character bigrams that occur in `whole`."""
    grams = _bigrams(part)
    return len(grams & _bigrams(whole)) / len(grams) if grams else 0.0


def target_text(target: Node) -> str:
    props = target.properties
    parts = [props.get("scope"), props.get("verb"), props.get("object")]
    composed = "".join(str(p) for p in parts if p)
    return composed or str(props.get("text") or props.get("name") or "")


def score_target(question: str, target: Node, unit: str | None, programme_ids: list[str], owners: list[Edge]) -> float:
    props = target.properties
    q = squash(question)
    core = _ASKING.sub("", q)
    obj = squash(str(props.get("object") or props.get("name") or ""))
    context = squash(target_text(target))
    score = 0.6 * _coverage(obj, q) + 0.4 * _coverage(core, context)
    target_unit = str(props.get("unit") or "")
    if unit and target_unit:
        score += 0.2 if unit == target_unit else -0.4
    if programme_ids and any(e.source in programme_ids for e in owners):
        score += 0.5
    return score


def best_targets(
    question: str,
    targets: list[Node],
    unit: str | None,
    programme_ids: list[str],
    owners: dict[str, list[Edge]],
) -> list[Node]:
    """Targets that fit the question, best first (only those over MIN_SCORE)."""
    scored = [
        (score_target(question, t, unit, programme_ids, owners.get(t.id, [])), t)
        for t in targets
        if t.properties.get("quantity") is not None
    ]
    scored = [(s, t) for s, t in scored if s >= MIN_SCORE]
    scored.sort(key=lambda st: (-st[0], st[1].id))
    return [t for _, t in scored]


def describe_target(target: Node, unit: str | None = None) -> str:
    """'10 所：全省遴选建设10所“楚怡”优秀中职学校。' When the question counts in another unit than the
    target ('支持多少个市州…' for '14个市州各改扩建1所…'), the number in that unit leads instead."""
    props = target.properties
    amount = f"{props.get('quantity')} {props.get('unit') or ''}".strip()
    if unit and unit != props.get("unit"):
        context = f"{props.get('scope') or ''}{props.get('text') or ''}"
        other = re.search(rf"(\d+)\s*{re.escape(unit)}([\u4e00-\u9fff]{{0,3}}?)(?:各|，|,|$)", context)
        if other:
            amount = f"{other.group(1)} {unit}{other.group(2)}"
    phrase = str(props.get("text") or "").strip() or target_text(target)
    deadline = props.get("deadline")
    tail = f"（期限：{deadline}）" if deadline and str(deadline) not in phrase else ""
    return f"{amount}：{phrase.rstrip('。；;')}{tail}。"
