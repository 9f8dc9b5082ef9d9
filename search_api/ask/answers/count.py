"""How many of something (几所/多少个): the Target node that fits the question best — and when another
document reports a result for the same thing (2022年遴选30所 against the plan's 10所) or a newer document
sets it anew, all of them, newest first, each with its date and source."""

from __future__ import annotations

from graph.models import Edge
from graph.views import Target
from search_api.ask.answers import wording
from search_api.ask.answers.context import AnswerContext, GraphAnswer, evidence_of
from search_api.ask.evidence import node_ref
from search_api.ask.intent import measure_asked, unit_asked
from search_api.ask.linking import LinkedName, squash
from search_api.ask.schemas import Fact
from search_api.ask.targets import best_targets, same_thing


def answer(ctx: AnswerContext, question: str, names: list[LinkedName]) -> GraphAnswer | None:
    nodes = {n.id: n for n in ctx.gazetteer.of_label("Target")}
    if not nodes:
        return None
    programme_ids = [m.node.id for m in names if m.node.label == "Programme"]
    owners: dict[str, list[Edge]] = ctx.target_owners()
    unit = unit_asked(question)
    targets = [Target.from_node(n) for n in nodes.values()]
    if ctx.scope is not None:
        targets = [t for t in targets if t.doc_id == ctx.scope] or targets
    ranked = best_targets(question, targets, unit, programme_ids, owners, measure_asked(question))
    if not ranked:
        return None
    best = ranked[0]
    others = [t for t in ranked[1:] if same_thing(best, t) and (t.doc_id != best.doc_id or t.kind != best.kind)]
    chosen = _newest_first(ctx, [best, *_one_per_document(others, best)])
    facts: list[Fact] = []
    evidence: list[str] = []
    for target in chosen:
        edges = owners.get(target.id, [])
        facts += ctx.edge_facts(edges, ctx.nodes([target.id, *(e.source for e in edges)]))
        found = evidence_of(edges) or (ctx.evidence.containing([target.text]) if target.text else [])
        facts.append(
            Fact(
                subject=node_ref(nodes[target.id]),
                predicate="quantity",
                value=wording.quantity_value(target),
                evidence=found,
            )
        )
        evidence += found
    if len(chosen) == 1:
        return GraphAnswer(text=wording.describe_target(best, unit), facts=facts, evidence=evidence)
    entries = [(t, ctx.library.title_of(t.doc_id), _date(ctx, t)) for t in chosen]
    return GraphAnswer(text=wording.targets_over_time(entries, unit), facts=facts, evidence=evidence)


def _one_per_document(targets: list[Target], best: Target) -> list[Target]:
    seen = {(best.doc_id, best.kind)}
    out = []
    for t in targets:
        if (t.doc_id, t.kind) not in seen:
            seen.add((t.doc_id, t.kind))
            out.append(t)
    return out


def _date(ctx: AnswerContext, target: Target) -> str | None:
    """When a figure holds: the year a result is reported for, else its document's date."""
    version = ctx.library.version(target.doc_id)
    date = (version.date or version.version_date) if version else None
    year = str(target.year) if target.year else None
    if year and not (date and squash(date).startswith(year)):
        return year
    return date


def _newest_first(ctx: AnswerContext, targets: list[Target]) -> list[Target]:
    return sorted(targets, key=lambda t: _date(ctx, t) or "", reverse=True)
