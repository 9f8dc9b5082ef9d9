"""Answers to relationship questions, read from the graph. Each returns None when the graph does not
hold the facts (the caller then answers extractively), so a partly extracted graph never gives a wrong
"no" — only a less structured answer."""

from __future__ import annotations

import re
from collections.abc import Callable

from pydantic import BaseModel, Field

from graph.models import Document, Edge, GraphPath, Node
from graph.store import GraphStore
from search_api.ask.evidence import Evidence, display_name, entity_ref
from search_api.ask.intent import asks_definition, asks_yes_no, unit_asked
from search_api.ask.linking import Gazetteer, Mention, names_of, squash
from search_api.ask.targets import best_targets, describe_target
from search_api.ask_schemas import Fact, Intent
from search_api.hybrid import HybridRetriever

_STRUCTURAL = {"HAS_SECTION", "HAS_PASSAGE", "PART_OF"}
_COUNTING = re.compile(r"几|多少|数量")
_LEAD = re.compile(r"牵头|主导|主办|为首|首位|第一|排在最前|列首|排第")
_SCHOOL_WORDS = ("学校", "院校", "高校", "职校", "学院")
_GOV_WORDS = ("部门", "政府", "机关", "单位", "厅", "委")


class GraphAnswer(BaseModel):
    text: str
    facts: list[Fact] = Field(default_factory=list)
    evidence: list[str] = Field(default_factory=list)  # passage ids, most important first


def _join(names: list[str]) -> str:
    return "、".join(names)


def _quoted(name: str) -> str:
    return f"「{name}」"


class GraphAnswerer:
    def __init__(self, store: GraphStore, gazetteer: Gazetteer, evidence: Evidence, retriever: HybridRetriever) -> None:
        self._store = store
        self._gazetteer = gazetteer
        self._evidence = evidence
        self._retriever = retriever

    def answer(self, intent: Intent, question: str, mentions: list[Mention]) -> GraphAnswer | None:
        handlers: dict[str, Callable[[str, list[Mention]], GraphAnswer | None]] = {
            "issuer": self.issuer,
            "count": self.count,
            "carriers": self.carriers,
            "org_tasks": self.org_tasks,
            "alias": self.alias,
            "link": self.link,
        }
        handler = handlers.get(intent)
        return handler(question, mentions) if handler else None

    # -- helpers -----------------------------------------------------------------------------
    def _node(self, node_id: str) -> Node | None:
        return self._store.get_node(node_id)

    def _edge_fact(self, edge: Edge, nodes: dict[str, Node]) -> Fact | None:
        src, dst = nodes.get(edge.source), nodes.get(edge.target)
        if src is None or dst is None:
            return None
        return Fact(subject=entity_ref(src), predicate=edge.type, object=entity_ref(dst), evidence=edge.evidence)

    def _nodes(self, ids: list[str]) -> dict[str, Node]:
        out: dict[str, Node] = {}
        for node_id in dict.fromkeys(ids):
            node = self._node(node_id)
            if node is not None:
                out[node_id] = node
        return out

    def _pick_document(self, question: str, mentions: list[Mention]) -> Document | None:
        docs = self._store.list_documents()
        if not docs:
            return None
        q = squash(question)
        titled = [d for d in docs if d.title and squash(d.title) in q]
        if titled:
            return max(titled, key=lambda d: len(d.title))
        if len(docs) == 1:
            return docs[0]
        best = self._retriever.retrieve(question, 1)
        if best:
            chosen = best[0].hit.passage.doc_id
            return next((d for d in docs if d.id == chosen), docs[0])
        return docs[0]

    # -- intents -------------------------------------------------------------------------------
    def issuer(self, question: str, mentions: list[Mention]) -> GraphAnswer | None:
        doc = self._pick_document(question, mentions)
        if doc is None:
            return None
        edges = self._store.edges_of(doc.id, ["ISSUED_BY"], "out")
        nodes = self._nodes([doc.id, *(e.target for e in edges)])
        # In the order the document lists them (the lead department first), not by id.
        order = {squash(name): i for i, name in enumerate(doc.issuers)}

        def listed(edge: Edge) -> int:
            node = nodes.get(edge.target)
            return order.get(squash(display_name(node)), len(order)) if node else len(order)

        edges.sort(key=listed)
        issuers = [display_name(nodes[e.target]) for e in edges if e.target in nodes] or list(doc.issuers)
        if not issuers:
            return None
        facts = [f for f in (self._edge_fact(e, nodes) for e in edges) if f is not None]
        doc_node = nodes.get(doc.id)
        if not facts and doc_node is not None:
            facts = [Fact(subject=entity_ref(doc_node), predicate="issuers", value=name) for name in issuers]
        title = f"《{doc.title}》"
        verb = "联合发布" if len(issuers) > 1 else "发布"
        issued = f"{title}由{_join(issuers)}{verb}。"
        if _COUNTING.search(squash(question)):
            issued = f"共{len(issuers)}个发布单位：{issued}"
        if len(issuers) > 1 and _LEAD.search(squash(question)):
            issued += f"落款列首位的是{issuers[0]}。"
        asked = [m for m in mentions if m.node.label == "Organization"]
        named = _org_names(question) if not asked and asks_yes_no(question) else []
        unknown = [o for o in named if not any(_same_org(o, n) for n in issuers)]
        if unknown:
            text = f"否。{_join(unknown)}不在发布单位之列：{issued}"
        elif asked:
            issuer_ids = {e.target for e in edges}
            issuer_keys = {squash(n) for n in issuers}
            inside = [
                m for m in asked if m.node.id in issuer_ids or any(squash(n) in issuer_keys for n in names_of(m.node))
            ]
            outside = [m for m in asked if m not in inside]
            if outside:
                text = f"否。{_join([m.name for m in outside])}不在发布单位之列：{issued}"
            else:
                one = "之一" if len(issuers) > 1 else ""
                text = f"是的，{_join([m.name for m in inside])}是{title}的发布单位{one}。{issued}"
        elif asks_yes_no(question):
            text = f"是的。{issued}"
        else:
            text = issued
        evidence = [p for e in edges for p in e.evidence]
        if not evidence:
            evidence = self._evidence.containing(issuers[:1], doc_id=doc.id)
        return GraphAnswer(text=text, facts=facts, evidence=evidence)

    def count(self, question: str, mentions: list[Mention]) -> GraphAnswer | None:
        targets = self._gazetteer.of_label("Target")
        if not targets:
            return None
        programme_ids = [m.node.id for m in mentions if m.node.label == "Programme"]
        owners: dict[str, list[Edge]] = {}
        for t in targets:
            owners[t.id] = self._store.edges_of(t.id, ["SETS_TARGET"], "in")
        ranked = best_targets(question, targets, unit_asked(question), programme_ids, owners)
        if not ranked:
            return None
        target = ranked[0]
        edges = owners.get(target.id, [])
        nodes = self._nodes([target.id, *(e.source for e in edges)])
        facts = [f for f in (self._edge_fact(e, nodes) for e in edges) if f is not None]
        facts.append(
            Fact(
                subject=entity_ref(target),
                predicate="quantity",
                value=f"{target.properties.get('quantity')}{target.properties.get('unit') or ''}",
                evidence=[p for e in edges for p in e.evidence],
            )
        )
        evidence = [p for e in edges for p in e.evidence]
        if not evidence:
            text = str(target.properties.get("text") or "")
            evidence = self._evidence.containing([text]) if text else []
        return GraphAnswer(text=describe_target(target, unit_asked(question)), facts=facts, evidence=evidence)

    def carriers(self, question: str, mentions: list[Mention]) -> GraphAnswer | None:
        programme = next((m.node for m in mentions if m.node.label == "Programme"), None)
        if programme is None:
            return None
        edges = self._store.edges_of(programme.id, ["ASSIGNED_TO"], "out")
        if not edges:
            return None
        nodes = self._nodes([programme.id, *(e.target for e in edges)])
        q = squash(question)
        wanted_kind = None
        if any(w in q for w in _SCHOOL_WORDS):
            wanted_kind = "school"
        elif any(w in q for w in _GOV_WORDS):
            wanted_kind = "government"
        chosen = [e for e in edges if e.target in nodes]
        if wanted_kind:
            of_kind = [e for e in chosen if nodes[e.target].properties.get("kind") == wanted_kind]
            chosen = of_kind or chosen
        names = [display_name(nodes[e.target]) for e in chosen]
        text = f"承担{_quoted(display_name(programme))}建设的有：{_join(names)}。"
        targets = self._store.edges_of(programme.id, ["SETS_TARGET"], "out")
        target_nodes = self._nodes([e.target for e in targets])
        if target_nodes:
            text += "目标：" + "；".join(describe_target(n) for n in target_nodes.values())
        facts = [f for f in (self._edge_fact(e, nodes) for e in chosen) if f is not None]
        evidence = [p for e in chosen for p in e.evidence]
        return GraphAnswer(text=text, facts=facts, evidence=evidence)

    def org_tasks(self, question: str, mentions: list[Mention]) -> GraphAnswer | None:
        org = next((m.node for m in mentions if m.node.label == "Organization"), None)
        if org is None:
            return None
        assigned = self._store.edges_of(org.id, ["ASSIGNED_TO"], "in")
        # An issuing department's part in a plan is to issue it; say so rather than guess at tasks.
        issued = self._store.edges_of(org.id, ["ISSUED_BY"], "in")
        nodes = self._nodes([org.id, *(e.source for e in assigned), *(e.source for e in issued)])
        parts = []
        for e in assigned:
            programme = nodes.get(e.source)
            if programme is None:
                continue
            aliases = names_of(programme)[1:]
            also = f"（又称{_join([_quoted(a) for a in aliases])}）" if aliases else ""
            parts.append(f"{_quoted(display_name(programme))}{also}")
        titles = [f"《{display_name(nodes[e.source])}》" for e in issued if e.source in nodes]
        if not parts and not titles:
            return None
        name = display_name(org)
        sentences = [f"{name}被支持建设{_join(parts)}。"] if parts else []
        if titles:
            role = f"{name}是{_join(titles)}的发布单位之一"
            sentences.append(role + ("。" if parts else "；文中未见单独分派给它的建设任务。"))
        chosen = [e for e in (*assigned, *issued) if e.source in nodes]
        facts = [f for f in (self._edge_fact(e, nodes) for e in chosen) if f is not None]
        evidence = [p for e in chosen for p in e.evidence]
        return GraphAnswer(text="".join(sentences), facts=facts, evidence=evidence)

    def alias(self, question: str, mentions: list[Mention]) -> GraphAnswer | None:
        mention = next((m for m in mentions if m.node.label != "Region"), None)
        if mention is None:
            return None
        node = mention.node
        names = names_of(node)
        name = names[0]
        others = [n for n in names if squash(n) != squash(mention.surface)]
        if not others:
            return None
        if squash(mention.surface) == squash(name):
            text = f"{_quoted(name)}又称{_join([_quoted(a) for a in others])}。"
        else:
            rest = [a for a in others if a != name]
            text = f"{_quoted(mention.surface)}即{_quoted(name)}"
            text += f"（又称{_join([_quoted(a) for a in rest])}）。" if rest else "。"
        description = node.properties.get("description")
        if asks_definition(question) and isinstance(description, str) and description.strip():
            text += description.strip().rstrip("。") + "。"
        facts = [Fact(subject=entity_ref(node), predicate="aliases", value=a) for a in names[1:]]
        evidence = self._evidence.containing([name, others[0]]) or self._evidence.containing([others[0]])
        return GraphAnswer(text=text, facts=facts, evidence=evidence)

    def link(self, question: str, mentions: list[Mention]) -> GraphAnswer | None:
        named = [m for m in mentions if m.node.label != "Region"]
        if len(named) < 2:
            return None
        a, b = named[0].node, named[1].node
        paths = self._store.paths(a.id, b.id, max_hops=4, limit=10)
        if not paths:
            return None
        paths.sort(key=_path_cost)
        best = [p for p in paths if _path_cost(p) == _path_cost(paths[0])][:3]
        sentences = [_describe_path(p) for p in best]
        text = f"{display_name(a)}与{display_name(b)}的联系：" + "；".join(sentences) + "。"
        facts: list[Fact] = []
        evidence: list[str] = []
        for path in best:
            nodes = {n.id: n for n in path.nodes}
            facts.extend(f for f in (self._edge_fact(e, nodes) for e in path.edges) if f is not None)
            evidence.extend(p for e in path.edges for p in e.evidence)
            evidence.extend(n.id for n in path.nodes if n.label == "Passage")
        return GraphAnswer(text=text, facts=facts, evidence=evidence)


_ORG_NAME = re.compile(
    r"[\u4e00-\u9fff]{2,24}?(?:委员会|办公厅|办公室|厅|局|委|部|署|政府|学院|学校|大学|中心|协会|集团)"
)


def _org_names(question: str) -> list[str]:
    """Organisation-like names in a question, for the ones the graph does not know."""
    return [m.group(0) for m in _ORG_NAME.finditer(squash(question))]


def _same_org(a: str, b: str) -> bool:
    a, b = squash(a), squash(b)
    return a in b or b in a


def _path_cost(path: GraphPath) -> tuple[float, str]:
    structural = sum(1 for e in path.edges if e.type in _STRUCTURAL)
    return (len(path.edges) + 0.5 * structural, "/".join(n.id for n in path.nodes))


_VERBS = {
    "ASSIGNED_TO": "承担",
    "ISSUED_BY": "发布",
    "MENTIONS": "提到",
    "SETS_TARGET": "设定目标",
    "LOCATED_IN": "位于",
    "PART_OF": "属于",
    "HAS_PASSAGE": "包含",
    "HAS_SECTION": "包含",
    "SERVES": "服务",
    "OFFERS": "开设",
    "MAPS_TO": "对应",
    "CHILD_OF": "属于",
    "IN_CLASS": "属于",
    "IN_CATEGORY": "属于",
}


def _edge_sentence(edge: Edge, nodes: dict[str, Node]) -> str:
    src, dst = nodes[edge.source], nodes[edge.target]
    if edge.type == "ASSIGNED_TO":
        return f"{display_name(dst)}承担{_quoted(display_name(src))}的建设"
    if edge.type == "ISSUED_BY":
        return f"{display_name(dst)}发布《{display_name(src)}》"
    if edge.type == "MENTIONS":
        return f"原文“{display_name(src)}…”提到{display_name(dst)}"
    return f"{display_name(src)}{_VERBS.get(edge.type, edge.type)}{display_name(dst)}"


def _describe_path(path: GraphPath) -> str:
    nodes = {n.id: n for n in path.nodes}
    edges = path.edges
    if len(edges) == 2 and edges[0].type == edges[1].type and path.nodes[1].label != "Passage":
        middle = path.nodes[1]
        if edges[0].type == "ASSIGNED_TO":
            return f"二者都承担{_quoted(display_name(middle))}的建设"
        if edges[0].type == "ISSUED_BY":
            return f"二者共同发布了《{display_name(middle)}》"
        if edges[0].type == "LOCATED_IN":
            return f"二者都位于{display_name(middle)}"
        if edges[0].source == path.nodes[0].id and edges[1].source == path.nodes[2].id:
            return f"二者都{_VERBS.get(edges[0].type, edges[0].type)}{display_name(middle)}"
    if len(edges) == 2 and all(e.type == "MENTIONS" for e in edges) and path.nodes[1].label == "Passage":
        return f"同一段原文同时提到二者（“{display_name(path.nodes[1])}…”）"
    return "，".join(_edge_sentence(e, nodes) for e in edges)
