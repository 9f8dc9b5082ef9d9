"""How two entities are linked (关系/联系/之间): the cheapest paths between them, described in words."""

from __future__ import annotations

from graph.models import GraphPath
from graph.views import display_name
from search_api.ask.answers import wording
from search_api.ask.answers.context import AnswerContext, GraphAnswer, evidence_of
from search_api.ask.linking import LinkedName
from search_api.ask.schemas import Fact

# Document structure says little about how two entities relate: a hop through it costs more.
_STRUCTURAL = {"HAS_SECTION", "HAS_PASSAGE", "PART_OF"}
MAX_HOPS = 4
PATHS_READ = 10
PATHS_TOLD = 3


def answer(ctx: AnswerContext, question: str, names: list[LinkedName]) -> GraphAnswer | None:
    named = [m for m in names if m.node.label != "Region"]
    if len(named) < 2:
        return None
    a, b = named[0].node, named[1].node
    paths = ctx.store.paths(a.id, b.id, max_hops=MAX_HOPS, limit=PATHS_READ)
    if not paths:
        return None
    paths.sort(key=path_cost)
    best = [p for p in paths if path_cost(p) == path_cost(paths[0])][:PATHS_TOLD]
    text = wording.link(display_name(a), display_name(b), [wording.describe_path(p) for p in best])
    facts: list[Fact] = []
    evidence: list[str] = []
    for path in best:
        facts.extend(ctx.edge_facts(path.edges, {n.id: n for n in path.nodes}))
        evidence.extend(evidence_of(path.edges))
        evidence.extend(n.id for n in path.nodes if n.label == "Passage")
    return GraphAnswer(text=text, facts=facts, evidence=evidence)


def path_cost(path: GraphPath) -> tuple[float, str]:
    structural = sum(1 for e in path.edges if e.type in _STRUCTURAL)
    return (len(path.edges) + 0.5 * structural, "/".join(n.id for n in path.nodes))
