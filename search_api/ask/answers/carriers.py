"""Which organisations carry a programme (哪些学校承担/建设 X): its ASSIGNED_TO edges, narrowed to
schools or to departments when the question asks for those, with the targets the programme sets."""

from __future__ import annotations

from graph.models import Edge, Node, OrganizationKind
from graph.views import Organization, Target, display_name
from search_api.ask.answers import wording
from search_api.ask.answers.context import AnswerContext, GraphAnswer, evidence_of
from search_api.ask.linking import LinkedName, squash

_SCHOOL_WORDS = ("学校", "院校", "高校", "职校", "学院")
_GOV_WORDS = ("部门", "政府", "机关", "单位", "厅", "委")


def answer(ctx: AnswerContext, question: str, names: list[LinkedName]) -> GraphAnswer | None:
    programme = next((m.node for m in names if m.node.label == "Programme"), None)
    if programme is None:
        return None
    edges = ctx.store.edges_of(programme.id, ["ASSIGNED_TO"], "out")
    if not edges:
        return None
    nodes = ctx.nodes([programme.id, *(e.target for e in edges)])
    chosen = _of_kind([e for e in edges if e.target in nodes], nodes, _kind_asked(question))
    targets = ctx.nodes(e.target for e in ctx.store.edges_of(programme.id, ["SETS_TARGET"], "out"))
    text = wording.carriers(
        display_name(programme),
        [display_name(nodes[e.target]) for e in chosen],
        [Target.from_node(n) for n in targets.values()],
    )
    return GraphAnswer(text=text, facts=ctx.edge_facts(chosen, nodes), evidence=evidence_of(chosen))


def _kind_asked(question: str) -> OrganizationKind | None:
    q = squash(question)
    if any(w in q for w in _SCHOOL_WORDS):
        return "school"
    if any(w in q for w in _GOV_WORDS):
        return "government"
    return None


def _of_kind(edges: list[Edge], nodes: dict[str, Node], kind: OrganizationKind | None) -> list[Edge]:
    """The edges to organisations of that kind; all of them when none is of it (or no kind is asked)."""
    if kind is None:
        return edges
    of_kind = [e for e in edges if Organization.from_node(nodes[e.target]).kind == kind]
    return of_kind or edges
