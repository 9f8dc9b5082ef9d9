"""What else an entity is called (又叫/又称/简称, or “X是什么” for an alias): its names and aliases."""

from __future__ import annotations

from graph.views import description_of, names_of
from search_api.ask.answers import wording
from search_api.ask.answers.context import AnswerContext, GraphAnswer
from search_api.ask.evidence import node_ref
from search_api.ask.intent import asks_definition
from search_api.ask.linking import LinkedName, squash
from search_api.ask.schemas import Fact


def answer(ctx: AnswerContext, question: str, names: list[LinkedName]) -> GraphAnswer | None:
    linked = next((m for m in names if m.node.label != "Region"), None)
    if linked is None:
        return None
    node = linked.node
    all_names = names_of(node)
    name = all_names[0]
    others = [n for n in all_names if squash(n) != squash(linked.surface)]
    if not others:
        return None
    text = wording.aliases(linked.surface, name, others, asked_by_name=squash(linked.surface) == squash(name))
    description = description_of(node)
    if asks_definition(question) and description:
        text += wording.definition(description)
    facts = [Fact(subject=node_ref(node), predicate="aliases", value=a) for a in all_names[1:]]
    evidence = ctx.evidence.containing([name, others[0]]) or ctx.evidence.containing([others[0]])
    return GraphAnswer(text=text, facts=facts, evidence=evidence)
