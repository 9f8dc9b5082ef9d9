"""What an organisation is asked to do: the programmes ASSIGNED_TO it, and the documents it issued."""

from __future__ import annotations

from graph.views import display_name, names_of
from search_api.ask.answers import wording
from search_api.ask.answers.context import AnswerContext, GraphAnswer, evidence_of
from search_api.ask.linking import LinkedName


def answer(ctx: AnswerContext, question: str, names: list[LinkedName]) -> GraphAnswer | None:
    org = next((m.node for m in names if m.node.label == "Organization"), None)
    if org is None:
        return None
    assigned = ctx.store.edges_of(org.id, ["ASSIGNED_TO"], "in")
    issued = ctx.store.edges_of(org.id, ["ISSUED_BY"], "in")
    nodes = ctx.nodes([org.id, *(e.source for e in assigned), *(e.source for e in issued)])
    programmes = [nodes[e.source] for e in assigned if e.source in nodes]
    parts = [f"{wording.quoted(display_name(p))}{wording.also_called(names_of(p)[1:])}" for p in programmes]
    titles = [display_name(nodes[e.source]) for e in issued if e.source in nodes]
    if not parts and not titles:
        return None
    chosen = [e for e in (*assigned, *issued) if e.source in nodes]
    return GraphAnswer(
        text=wording.org_tasks(display_name(org), parts, titles),
        facts=ctx.edge_facts(chosen, nodes),
        evidence=evidence_of(chosen),
    )
