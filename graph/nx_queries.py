"""Graph reads for the embedded store, over its networkx MultiDiGraph.

Layout: node attributes `label`, `origins`, `props` (and `tokens` on passages); edges are keyed by
relationship type with attributes `origins`, `evidence`, `props`.
"""

from __future__ import annotations

import itertools
from typing import Any

import networkx as nx

from graph.errors import NodeNotFound
from graph.models import ENTITY_LABELS, Edge, GraphPath, Node, SearchFilters, Subgraph
from graph.rules import assemble_paths, clean_properties, edge_key, sort_entity_matches
from graph.views import aliases_of


def to_node(g: nx.MultiDiGraph, node_id: str) -> Node:
    attrs = g.nodes[node_id]
    return Node(
        id=node_id, label=attrs["label"], properties=clean_properties(attrs["props"]), origins=sorted(attrs["origins"])
    )


def to_edge(source: str, target: str, rel_type: str, attrs: dict[str, Any]) -> Edge:
    return Edge(
        source=source,
        target=target,
        type=rel_type,  # type: ignore[arg-type]  # keys are RelType values written by the store
        evidence=sorted(attrs["evidence"]),
        properties=clean_properties(attrs["props"]),
        origins=sorted(attrs["origins"]),
    )


def _require(g: nx.MultiDiGraph, node_id: str) -> None:
    if node_id not in g:
        raise NodeNotFound(node_id)


def find_entities(g: nx.MultiDiGraph, q: str, label: str | None, limit: int) -> list[Node]:
    wanted = set(ENTITY_LABELS) if label is None else {label} & set(ENTITY_LABELS)
    candidates = (to_node(g, n) for n, a in g.nodes(data=True) if a["label"] in wanted)
    return sort_entity_matches(q, candidates, limit)


def edges_of(g: nx.MultiDiGraph, node_id: str, rel_types: list[str] | None, direction: str) -> list[Edge]:
    _require(g, node_id)
    found: dict[tuple[str, str, str], Edge] = {}
    if direction in ("out", "both"):
        for u, v, k, a in g.out_edges(node_id, keys=True, data=True):
            found[(u, v, k)] = to_edge(u, v, k, a)
    if direction in ("in", "both"):
        for u, v, k, a in g.in_edges(node_id, keys=True, data=True):
            found[(u, v, k)] = to_edge(u, v, k, a)
    edges = [e for e in found.values() if rel_types is None or e.type in rel_types]
    return sorted(edges, key=edge_key)


def incident(g: nx.MultiDiGraph, node_id: str) -> list[tuple[str, str, str, dict[str, Any]]]:
    return [*g.out_edges(node_id, keys=True, data=True), *g.in_edges(node_id, keys=True, data=True)]


def neighbors(
    g: nx.MultiDiGraph,
    node_id: str,
    depth: int,
    labels: list[str] | None,
    rel_types: list[str] | None,
    limit: int,
) -> Subgraph:
    _require(g, node_id)
    order = [node_id]
    seen = {node_id}
    frontier = [node_id]
    for _ in range(max(depth, 0)):
        if len(order) - 1 >= limit:
            break
        found: set[str] = set()
        for n in frontier:
            for u, v, k, _a in incident(g, n):
                other = v if u == n else u
                if other in seen or (rel_types is not None and k not in rel_types):
                    continue
                if labels is None or g.nodes[other]["label"] in labels:
                    found.add(other)
        frontier = sorted(found)[: limit - (len(order) - 1)]
        order.extend(frontier)
        seen.update(frontier)
    keep = set(order)
    edges = [
        to_edge(u, v, k, a)
        for u, v, k, a in g.subgraph(keep).edges(keys=True, data=True)
        if rel_types is None or k in rel_types
    ]
    return Subgraph(
        nodes=[to_node(g, n) for n in order], edges=sorted(edges, key=lambda e: (e.source, e.type, e.target))
    )


def undirected(g: nx.MultiDiGraph) -> nx.Graph:
    """A simple undirected view for path finding (parallel relationships collapse to one link)."""
    ug = nx.Graph()
    ug.add_nodes_from(g.nodes)
    ug.add_edges_from((u, v) for u, v in g.edges() if u != v)
    return ug


def paths(g: nx.MultiDiGraph, ug: nx.Graph, source: str, target: str, max_hops: int, limit: int) -> list[GraphPath]:
    _require(g, source)
    _require(g, target)
    if limit <= 0:
        return []
    if source == target:
        return [GraphPath(nodes=[to_node(g, source)], edges=[])]
    collected: list[list[str]] = []
    try:
        # Yen's algorithm yields simple paths in order of length; keep every path as long as the
        # limit-th one so that ties can be ordered by node ids, the same way the Neo4j store does.
        for p in nx.shortest_simple_paths(ug, source, target):
            hops = len(p) - 1
            if hops > max_hops or (len(collected) >= limit and hops > len(collected[limit - 1]) - 1):
                break
            collected.append(p)
    except nx.NetworkXNoPath:
        return []
    ids = {n for p in collected for n in p}
    pairs = {frozenset(pair) for p in collected for pair in itertools.pairwise(p)}
    edges = [
        to_edge(u, v, k, a) for u, v, k, a in g.subgraph(ids).edges(keys=True, data=True) if frozenset((u, v)) in pairs
    ]
    return assemble_paths(collected, {n: to_node(g, n) for n in ids}, edges, limit)


def export(g: nx.MultiDiGraph, labels: list[str] | None) -> Subgraph:
    keep = sorted(n for n, a in g.nodes(data=True) if labels is None or a["label"] in labels)
    kept = set(keep)
    edges = [to_edge(u, v, k, a) for u, v, k, a in g.edges(keys=True, data=True) if u in kept and v in kept]
    return Subgraph(
        nodes=[to_node(g, n) for n in keep], edges=sorted(edges, key=lambda e: (e.source, e.type, e.target))
    )


def allowed_passages(g: nx.MultiDiGraph, filters: SearchFilters | None) -> set[str] | None:
    """The passages a filtered search may return; None when nothing is filtered."""
    if filters is None or all(
        v is None for v in (filters.doc_ids, filters.issuers, filters.section_prefix, filters.entity_ids)
    ):
        return None
    allowed = {n for n, a in g.nodes(data=True) if a["label"] == "Passage"}
    props = {n: g.nodes[n]["props"] for n in allowed}
    if filters.doc_ids is not None:
        docs = set(filters.doc_ids)
        allowed = {p for p in allowed if props[p].get("doc_id") in docs}
    if filters.section_prefix is not None:
        prefix = filters.section_prefix
        allowed = {p for p in allowed if str(props[p].get("section_path") or "").startswith(prefix)}
    if filters.issuers is not None:
        docs = _documents_issued_by(g, set(filters.issuers))
        allowed = {p for p in allowed if props[p].get("doc_id") in docs}
    if filters.entity_ids is not None:
        allowed &= _evidence_of(g, filters.entity_ids)
    return allowed


def _documents_issued_by(g: nx.MultiDiGraph, issuers: set[str]) -> set[str]:
    docs = set()
    for n, a in g.nodes(data=True):
        if a["label"] != "Document":
            continue
        named = a["props"].get("issuers") or []
        if issuers & set(named):
            docs.add(n)
            continue
        for _, org, k in g.out_edges(n, keys=True):
            if k != "ISSUED_BY":
                continue
            op = g.nodes[org]["props"]
            if org in issuers or op.get("name") in issuers or issuers & set(aliases_of(op)):
                docs.add(n)
                break
    return docs


def _evidence_of(g: nx.MultiDiGraph, entity_ids: list[str]) -> set[str]:
    """Passages linked to one of the entities directly or cited as evidence of a relation touching it."""
    found: set[str] = set()
    for e in entity_ids:
        if e not in g:
            continue
        for u, v, _k, a in incident(g, e):
            other = v if u == e else u
            if g.nodes[other]["label"] == "Passage":
                found.add(other)
            found.update(a["evidence"])
    return found
