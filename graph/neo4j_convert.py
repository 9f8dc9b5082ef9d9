"""Neo4j records to the graph models, and query results to plain JSON-ready values."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import neo4j.graph

from graph.models import Document, Edge, Node, Passage, PassageHit
from graph.rules import clean_properties

_HIDDEN = ("embedding", "tokens")


def to_node(node: Any, label: str) -> Node:
    props = dict(node)
    return Node(
        id=props["id"],
        label=label,  # type: ignore[arg-type]  # labels are written from graph.models.NodeLabel
        properties=clean_properties(props),
        origins=sorted(props.get("origins") or []),
    )


def to_edge(row: Mapping[str, Any]) -> Edge:
    props = dict(row["props"])
    return Edge(
        source=row["source"],
        target=row["target"],
        type=row["type"],
        evidence=sorted(props.pop("evidence", None) or []),
        origins=sorted(props.get("origins") or []),
        properties=clean_properties(props),
    )


def to_document(node: Any) -> Document:
    return Document(**{k: v for k, v in dict(node).items() if k != "origins"})


def to_hits(rows: list[Any], cosine: bool) -> list[PassageHit]:
    # Neo4j reports cosine similarity as (1 + cos) / 2; report plain cosine like the embedded store.
    return [
        PassageHit(
            passage=Passage(**dict(r["passage"])),
            document_title=r["title"] or "",
            score=2.0 * float(r["score"]) - 1.0 if cosine else float(r["score"]),
            rank=i + 1,
        )
        for i, r in enumerate(rows)
    ]


def to_ranked_hits(ranked: list[list[Any]], passages: Mapping[str, Any], cosine: bool) -> list[PassageHit]:
    """[id, score] pairs (best first) as to_hits makes them, each passage and title read from `passages`
    (id → {"passage", "title"}), where several lists share them."""
    return to_hits([{**passages[pid], "score": score} for pid, score in ranked], cosine)


def _graph_node(node: neo4j.graph.Node) -> dict[str, Any]:
    labels = sorted(node.labels - {"Node"})
    props = {k: plain(v) for k, v in node.items() if k not in _HIDDEN}
    return {"id": props.pop("id", node.element_id), "label": labels[0] if labels else None, "properties": props}


def _graph_relationship(rel: neo4j.graph.Relationship) -> dict[str, Any]:
    start, end = rel.start_node, rel.end_node
    return {
        "source": start.get("id") if start is not None else None,
        "target": end.get("id") if end is not None else None,
        "type": rel.type,
        "properties": {k: plain(v) for k, v in rel.items()},
    }


def plain(value: Any) -> Any:
    """A Cypher result value as JSON-ready Python: graph objects become dicts, temporals strings."""
    if isinstance(value, neo4j.graph.Node):
        return _graph_node(value)
    if isinstance(value, neo4j.graph.Relationship):
        return _graph_relationship(value)
    if isinstance(value, neo4j.graph.Path):
        return {
            "nodes": [_graph_node(n) for n in value.nodes],
            "edges": [_graph_relationship(r) for r in value.relationships],
        }
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if k not in _HIDDEN}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)
