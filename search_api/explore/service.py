"""Entity lookup, an entity with its relations and their evidence, neighbourhoods and paths, Cypher, stats."""

from __future__ import annotations

from typing import Any

from fastapi.encoders import jsonable_encoder

from graph.errors import NodeNotFound
from graph.models import ENTITY_LABELS, Edge, Node, PropertyValue
from graph.store import GraphStore
from graph.views import display_name, names_of
from graph.vocabulary import label_name, relation_words
from search_api.ask.evidence import AnswerEvidence
from search_api.ask.linking import squash
from search_api.explore.schemas import (
    CypherResponse,
    EdgeOut,
    EntityDetail,
    EntityList,
    EvidenceOut,
    NodeOut,
    PathOut,
    PathsOut,
    RelationOut,
    StatsOut,
    SubgraphOut,
)

STRUCTURAL = ("HAS_PASSAGE", "HAS_SECTION")
MAX_RELATIONS = 300
EVIDENCE_PER_RELATION = 3
# The graph view shows entities and documents; passages and sections are reached through evidence.
VIEW_LABELS = ["Document", *ENTITY_LABELS]


def node_out(node: Node) -> NodeOut:
    return NodeOut(
        id=node.id,
        label=node.label,
        name=display_name(node),
        label_zh=label_name(node.label),
        properties=dict(node.properties),
    )


def edge_out(edge: Edge) -> EdgeOut:
    return EdgeOut(
        source=edge.source,
        target=edge.target,
        type=edge.type,
        type_zh=relation_words(edge.type).name,
        evidence=edge.evidence,
        properties=edge.properties,
    )


class ExploreService:
    def __init__(self, store: GraphStore) -> None:
        self._store = store
        self._evidence = AnswerEvidence(store)

    def _require(self, node_id: str) -> Node:
        node = self._store.get_node(node_id)
        if node is None:
            raise NodeNotFound(f"no node with id {node_id!r}")
        return node

    def resolve(self, ref: str) -> Node:
        """A node by id, or the entity whose name or alias is exactly `ref`."""
        node = self._store.get_node(ref)
        if node is not None:
            return node
        key = squash(ref)
        for candidate in self._store.find_entities(ref, None, 10):
            if any(squash(n) == key for n in names_of(candidate)):
                return candidate
        raise NodeNotFound(f"no node with id or name {ref!r}")

    def search(self, q: str, label: str | None, limit: int) -> EntityList:
        return EntityList(results=[node_out(n) for n in self._store.find_entities(q, label, limit)])

    def detail(self, node_id: str) -> EntityDetail:
        node = self._require(node_id)
        edges = self._store.edges_of(node_id)
        counts: dict[str, int] = {}
        for e in edges:
            counts[e.type] = counts.get(e.type, 0) + 1
        listed = [e for e in edges if e.type not in STRUCTURAL][:MAX_RELATIONS]
        others: dict[str, Node] = {}
        relations = []
        for e in listed:
            other_id = e.target if e.source == node_id else e.source
            if other_id not in others:
                found = self._store.get_node(other_id)
                if found is None:
                    continue
                others[other_id] = found
            evidence = [
                EvidenceOut(passage_id=c.passage_id, text=c.text, document_title=c.document_title)
                for c in self._evidence.citations(e.evidence, EVIDENCE_PER_RELATION)
            ]
            relations.append(
                RelationOut(
                    type=e.type,
                    type_zh=relation_words(e.type).name,
                    direction="out" if e.source == node_id else "in",
                    other=node_out(others[other_id]),
                    properties=e.properties,
                    evidence=evidence,
                )
            )
        return EntityDetail(entity=node_out(node), relations=relations, relation_counts=counts)

    def neighbors(self, node_id: str, depth: int, limit: int, labels: list[str] | None) -> SubgraphOut:
        node = self._require(node_id)
        sub = self._store.neighbors(node.id, depth=depth, labels=labels or VIEW_LABELS, limit=limit)
        nodes = [node_out(n) for n in sub.nodes]
        return SubgraphOut(center=node.id, nodes=nodes, edges=[edge_out(e) for e in sub.edges])

    def paths(self, source: str, target: str, max_hops: int, limit: int) -> PathsOut:
        a, b = self.resolve(source), self.resolve(target)
        found = self._store.paths(a.id, b.id, max_hops=max_hops, limit=limit)
        return PathsOut(
            source=node_out(a),
            target=node_out(b),
            paths=[
                PathOut(length=len(p.edges), nodes=[node_out(n) for n in p.nodes], edges=[edge_out(e) for e in p.edges])
                for p in found
            ],
        )

    def cypher(self, query: str, params: dict[str, PropertyValue]) -> CypherResponse:
        rows: list[dict[str, Any]] = self._store.cypher_read(query, params)
        encoded = jsonable_encoder(rows)
        return CypherResponse(rows=encoded, count=len(encoded))

    def stats(self) -> StatsOut:
        stats = self._store.stats()
        return StatsOut(
            store=self._store.name,
            documents=stats.nodes.get("Document", 0),
            nodes=stats.nodes,
            relationships=stats.relationships,
            node_total=stats.node_total,
            relationship_total=stats.relationship_total,
        )
