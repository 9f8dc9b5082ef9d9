"""Ordering and matching rules both backends apply in Python, so that their answers are identical
whatever order the underlying engine produces."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

from graph.models import Edge, GraphPath, Node, PropertyValue
from graph.views import aliases_of, name_of

# Properties that are store internals, never returned as node properties.
INTERNAL_PROPERTIES = frozenset({"id", "origins", "embedding", "tokens"})


def clean_properties(props: dict[str, PropertyValue]) -> dict[str, PropertyValue]:
    """Drop internals and None values (Neo4j cannot store null: writing None removes a property)."""
    return {k: v for k, v in props.items() if k not in INTERNAL_PROPERTIES and v is not None}


def entity_rank(q: str, name: str, aliases: Sequence[str]) -> int | None:
    """0 exact (name or alias), 1 name contains q, 2 an alias contains q, None no match. Case-folded."""
    q = q.strip().lower()
    name = name.lower()
    lowered = [a.lower() for a in aliases]
    if name == q or q in lowered:
        return 0
    if q in name:
        return 1
    if any(q in a for a in lowered):
        return 2
    return None


def sort_entity_matches(q: str, nodes: Iterable[Node], limit: int) -> list[Node]:
    ranked: list[tuple[int, int, str, Node]] = []
    for node in nodes:
        name = name_of(node)
        rank = entity_rank(q, name, aliases_of(node.properties))
        if rank is not None:
            ranked.append((rank, len(name), node.id, node))  # Cypher size() counts code points too
    ranked.sort(key=lambda t: t[:3])
    return [t[3] for t in ranked[:limit]]


def edge_key(edge: Edge) -> tuple[str, str, str]:
    return (edge.type, edge.source, edge.target)


def assemble_paths(
    id_paths: Iterable[Sequence[str]], nodes: dict[str, Node], edges: Iterable[Edge], limit: int
) -> list[GraphPath]:
    """Turn node-id sequences into GraphPaths: shortest first, ties by ids, one edge per hop (the
    least by (type, source, target) among the relationships between the two nodes, either way)."""
    best: dict[frozenset[str], Edge] = {}
    for edge in edges:
        pair = frozenset((edge.source, edge.target))
        if pair not in best or edge_key(edge) < edge_key(best[pair]):
            best[pair] = edge
    unique = sorted({tuple(p) for p in id_paths}, key=lambda p: (len(p), p))[:limit]
    return [
        GraphPath(
            nodes=[nodes[i] for i in p],
            edges=[best[frozenset((a, b))] for a, b in itertools.pairwise(p)],
        )
        for p in unique
    ]
