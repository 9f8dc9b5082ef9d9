"""Who issued a document (谁发布/发文单位/…参与发布了吗): its ISSUED_BY organisations, in the order the
document lists them, and a yes or no when the question names an organisation."""

from __future__ import annotations

import re

from graph.models import Document, Edge, Node
from graph.views import display_name, names_of
from search_api.ask.answers import wording
from search_api.ask.answers.context import AnswerContext, GraphAnswer, evidence_of
from search_api.ask.evidence import node_ref
from search_api.ask.intent import asks_yes_no
from search_api.ask.linking import LinkedName, squash
from search_api.ask.schemas import Fact

_COUNTING = re.compile(r"几|多少|数量")
_LEAD = re.compile(r"牵头|主导|主办|为首|首位|第一|排在最前|列首|排第")
_ORG_NAME = re.compile(
    r"[\u4e00-\u9fff]{2,24}?(?:委员会|办公厅|办公室|厅|局|委|部|署|政府|学院|学校|大学|中心|协会|集团)"
)


def answer(ctx: AnswerContext, question: str, names: list[LinkedName]) -> GraphAnswer | None:
    doc = ctx.pick_document(question)
    if doc is None:
        return None
    edges = ctx.store.edges_of(doc.id, ["ISSUED_BY"], "out")
    nodes = ctx.nodes([doc.id, *(e.target for e in edges)])
    edges = _as_listed(doc, edges, nodes)
    issuers = [display_name(nodes[e.target]) for e in edges if e.target in nodes] or list(doc.issuers)
    if not issuers:
        return None
    q = squash(question)
    issued = wording.issued_by(doc.title, issuers, counted=bool(_COUNTING.search(q)), lead=bool(_LEAD.search(q)))
    text = _verdict(question, names, {e.target for e in edges}, issuers, doc.title, issued)
    evidence = evidence_of(edges) or ctx.evidence.containing(issuers[:1], doc_id=doc.id)
    return GraphAnswer(text=text, facts=_facts(ctx, doc, edges, nodes, issuers), evidence=evidence)


def _as_listed(doc: Document, edges: list[Edge], nodes: dict[str, Node]) -> list[Edge]:
    """In the order the document lists its issuers (the lead department first), not by id."""
    order = {squash(name): i for i, name in enumerate(doc.issuers)}

    def listed(edge: Edge) -> int:
        node = nodes.get(edge.target)
        return order.get(squash(display_name(node)), len(order)) if node else len(order)

    return sorted(edges, key=listed)


def _facts(
    ctx: AnswerContext, doc: Document, edges: list[Edge], nodes: dict[str, Node], issuers: list[str]
) -> list[Fact]:
    facts = ctx.edge_facts(edges, nodes)
    doc_node = nodes.get(doc.id)
    if not facts and doc_node is not None:
        # No ISSUED_BY edges: the document's own list of issuers is the fact.
        facts = [Fact(subject=node_ref(doc_node), predicate="issuers", value=name) for name in issuers]
    return facts


def _verdict(
    question: str, names: list[LinkedName], issuer_ids: set[str], issuers: list[str], title: str, issued: str
) -> str:
    """The statement of who issued, led by yes or no when the question asks about an organisation."""
    asked = [m for m in names if m.node.label == "Organization"]
    if asked:
        keys = {squash(n) for n in issuers}
        inside = [m for m in asked if m.node.id in issuer_ids or any(squash(n) in keys for n in names_of(m.node))]
        outside = [m for m in asked if m not in inside]
        if outside:
            return wording.not_issuers([m.name for m in outside], issued)
        return wording.among_issuers([m.name for m in inside], title, len(issuers) > 1, issued)
    if not asks_yes_no(question):
        return issued
    # An organisation the graph does not know, named in a yes/no question: say no when it is not listed.
    unknown = [o for o in _org_names(question) if not any(_same_org(o, n) for n in issuers)]
    return wording.not_issuers(unknown, issued) if unknown else wording.yes(issued)


def _org_names(question: str) -> list[str]:
    """Organisation-like names in a question, for the ones the graph does not know."""
    return [m.group(0) for m in _ORG_NAME.finditer(squash(question))]


def _same_org(a: str, b: str) -> bool:
    a, b = squash(a), squash(b)
    return a in b or b in a
