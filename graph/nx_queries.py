"""Graph reads for the embedded store, over its SQLite tables (graph.persistence.Database).

edges_of and neighbors read relationships by their indexed ends, level by level. paths runs
networkx's Yen algorithm on an undirected simple graph of every relationship, built on the first
path question (about 0.8 s at 100k passages) and then kept up to date by each write (PathGraph).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

import networkx as nx

from graph.errors import NodeNotFound
from graph.models import Edge, GraphPath, Node, Subgraph
from graph.persistence import Database, NodeRow, RelKey, RelRow
from graph.rules import assemble_paths, clean_properties, edge_key


def to_node(node_id: str, row: NodeRow) -> Node:
    return Node(
        id=node_id,
        label=row.label,  # type: ignore[arg-type]  # labels are NodeLabel values written by the store
        properties=clean_properties(row.props),
        origins=sorted(row.origins),
    )


def to_edge(key: RelKey, row: RelRow) -> Edge:
    source, rel_type, target = key
    return Edge(
        source=source,
        target=target,
        type=rel_type,  # type: ignore[arg-type]  # types are RelType values written by the store
        evidence=sorted(row.evidence),
        properties=clean_properties(row.props),
        origins=sorted(row.origins),
    )


def nodes_in_order(db: Database, ids: list[str]) -> list[Node]:
    rows = db.nodes(ids)
    return [to_node(i, rows[i]) for i in ids if i in rows]


def _require(db: Database, *ids: str) -> None:
    found = db.labels(ids)
    for node_id in ids:
        if node_id not in found:
            raise NodeNotFound(node_id)


def edges_of(db: Database, node_id: str, rel_types: list[str] | None, direction: str) -> list[Edge]:
    _require(db, node_id)
    found: dict[RelKey, RelRow] = {}
    if direction in ("out", "both"):
        found.update(db.rels_at([node_id], outgoing=True, types=rel_types))
    if direction in ("in", "both"):
        found.update(db.rels_at([node_id], outgoing=False, types=rel_types))
    edges = [to_edge(k, r) for k, r in found.items() if rel_types is None or k[1] in rel_types]
    return sorted(edges, key=edge_key)


def edges_of_many(
    db: Database, node_ids: list[str], rel_types: list[str] | None, direction: str
) -> dict[str, list[Edge]]:
    known = db.labels(node_ids)
    found: dict[str, dict[RelKey, RelRow]] = {i: {} for i in dict.fromkeys(node_ids) if i in known}
    if direction in ("out", "both"):
        for key, row in db.rels_at(list(found), outgoing=True, types=rel_types):
            found[key[0]][key] = row
    if direction in ("in", "both"):
        for key, row in db.rels_at(list(found), outgoing=False, types=rel_types):
            found[key[2]][key] = row
    return {node_id: sorted((to_edge(k, r) for k, r in rels.items()), key=edge_key) for node_id, rels in found.items()}


def edges_among(db: Database, ids: Iterable[str], rel_types: list[str] | None = None) -> list[Edge]:
    keep = set(ids)
    rels = db.rels_at(sorted(keep), outgoing=True)
    edges = [to_edge(k, r) for k, r in rels if k[2] in keep and (rel_types is None or k[1] in rel_types)]
    return sorted(edges, key=lambda e: (e.source, e.type, e.target))


def neighbors(
    db: Database, node_id: str, depth: int, labels: list[str] | None, rel_types: list[str] | None, limit: int
) -> Subgraph:
    _require(db, node_id)
    order = [node_id]
    seen = {node_id}
    frontier = [node_id]
    for _ in range(max(depth, 0)):
        if len(order) - 1 >= limit:
            break
        others: set[str] = set()
        frontier_set = set(frontier)
        for source, rel_type, target in db.rel_ends_at(frontier):
            if rel_types is not None and rel_type not in rel_types:
                continue
            for here, other in ((source, target), (target, source)):
                if here in frontier_set and other not in seen:
                    others.add(other)
        if labels is not None:
            known = db.labels(sorted(others))
            others = {o for o in others if known.get(o) in labels}
        frontier = sorted(others)[: limit - (len(order) - 1)]
        order.extend(frontier)
        seen.update(frontier)
    return Subgraph(nodes=nodes_in_order(db, order), edges=edges_among(db, order, rel_types))


class PathGraph:
    """The undirected simple graph paths() searches: one link per pair of related nodes, counting the
    relationships behind it so that writes can add and remove them."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._graph: nx.Graph | None = None

    def invalidate(self) -> None:
        self._graph = None

    def graph(self) -> nx.Graph:
        if self._graph is None:
            g = nx.Graph()
            counts: dict[tuple[str, str], int] = {}
            for u, v in self._db.rel_pairs():
                if u != v:
                    pair = (u, v) if u < v else (v, u)
                    counts[pair] = counts.get(pair, 0) + 1
            g.add_edges_from((u, v, {"n": n}) for (u, v), n in counts.items())
            self._graph = g
        return self._graph

    def apply(self, added: Iterable[RelKey], removed: Iterable[RelKey], gone_nodes: Iterable[str]) -> None:
        g = self._graph
        if g is None:
            return
        for source, _t, target in added:
            if source == target:
                continue
            if g.has_edge(source, target):
                g[source][target]["n"] += 1
            else:
                g.add_edge(source, target, n=1)
        for source, _t, target in removed:
            if source != target and g.has_edge(source, target):
                g[source][target]["n"] -= 1
                if g[source][target]["n"] <= 0:
                    g.remove_edge(source, target)
        g.remove_nodes_from([n for n in gone_nodes if n in g and g.degree(n) == 0])


def paths(db: Database, pg: PathGraph, source: str, target: str, max_hops: int, limit: int) -> list[GraphPath]:
    _require(db, source, target)
    if limit <= 0:
        return []
    if source == target:
        return [GraphPath(nodes=nodes_in_order(db, [source]), edges=[])]
    ug = pg.graph()
    if source not in ug or target not in ug:
        return []
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
    ids = sorted({n for p in collected for n in p})
    pairs = {frozenset(pair) for p in collected for pair in itertools.pairwise(p)}
    edges = [e for e in edges_among(db, ids) if frozenset((e.source, e.target)) in pairs]
    nodes = {n.id: n for n in nodes_in_order(db, ids)}
    return assemble_paths(collected, nodes, edges, limit)


def export(db: Database, labels: list[str] | None) -> Subgraph:
    nodes = [to_node(i, row) for i, row in db.nodes_with_labels(labels)]
    edges = [to_edge(k, r) for k, r in db.all_rels(labels)]
    return Subgraph(nodes=nodes, edges=edges)
