"""How many of something a plan sets (几所/多少个): the Target node that fits the question best."""

from __future__ import annotations

from graph.models import Edge
from graph.views import Target
from search_api.ask.answers import wording
from search_api.ask.answers.context import AnswerContext, GraphAnswer, evidence_of
from search_api.ask.evidence import node_ref
from search_api.ask.intent import unit_asked
from search_api.ask.linking import LinkedName
from search_api.ask.schemas import Fact
from search_api.ask.targets import best_targets


def answer(ctx: AnswerContext, question: str, names: list[LinkedName]) -> GraphAnswer | None:
    nodes = {n.id: n for n in ctx.gazetteer.of_label("Target")}
    if not nodes:
        return None
    programme_ids = [m.node.id for m in names if m.node.label == "Programme"]
    owners: dict[str, list[Edge]] = {t: ctx.store.edges_of(t, ["SETS_TARGET"], "in") for t in nodes}
    unit = unit_asked(question)
    ranked = best_targets(question, [Target.from_node(n) for n in nodes.values()], unit, programme_ids, owners)
    if not ranked:
        return None
    target = ranked[0]
    edges = owners.get(target.id, [])
    facts = ctx.edge_facts(edges, ctx.nodes([target.id, *(e.source for e in edges)]))
    evidence = evidence_of(edges)
    facts.append(
        Fact(
            subject=node_ref(nodes[target.id]),
            predicate="quantity",
            value=wording.quantity_value(target),
            evidence=evidence,
        )
    )
    if not evidence and target.text:
        evidence = ctx.evidence.containing([target.text])
    return GraphAnswer(text=wording.describe_target(target, unit), facts=facts, evidence=evidence)
