"""GraphML from an exported Subgraph, the same for both backends.

GraphML attributes are typed scalars, so list properties (aliases, evidence, origins) are written as
JSON text; a property whose type differs between elements is written as text everywhere.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable

import networkx as nx

from graph.models import PropertyValue, Subgraph

Scalar = str | int | float | bool
_RESERVED = frozenset({"label", "type", "origins", "evidence"})
# Characters XML 1.0 cannot carry (PDF extraction leaves form feeds and the like in text).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value: str) -> str:
    return _XML_INVALID.sub("\ufffd", value)


def _scalar(value: PropertyValue) -> Scalar | None:
    if value is None:
        return None
    if isinstance(value, list):
        return _text(json.dumps(value, ensure_ascii=False))
    return _text(value) if isinstance(value, str) else value


def _key(name: str) -> str:
    return f"property_{name}" if name in _RESERVED else name


def _harmonise(rows: Iterable[dict[str, Scalar]]) -> None:
    rows = list(rows)
    kinds: dict[str, set[type]] = {}
    for row in rows:
        for key, value in row.items():
            kinds.setdefault(key, set()).add(type(value))
    mixed = {k for k, types in kinds.items() if len(types) > 1}
    for row in rows:
        for key in mixed & row.keys():
            row[key] = str(row[key])


def to_graphml(sub: Subgraph) -> str:
    g = nx.MultiDiGraph()
    node_rows: list[dict[str, Scalar]] = []
    for node in sub.nodes:
        row: dict[str, Scalar] = {"label": node.label, "origins": json.dumps(node.origins, ensure_ascii=False)}
        for key, value in sorted(node.properties.items()):
            scalar = _scalar(value)
            if scalar is not None:
                row[_key(key)] = scalar
        node_rows.append(row)
    edge_rows: list[dict[str, Scalar]] = []
    for edge in sub.edges:
        erow: dict[str, Scalar] = {
            "type": edge.type,
            "evidence": json.dumps(edge.evidence, ensure_ascii=False),
            "origins": json.dumps(edge.origins, ensure_ascii=False),
        }
        for key, value in sorted(edge.properties.items()):
            scalar = _scalar(value)
            if scalar is not None:
                erow[_key(key)] = scalar
        edge_rows.append(erow)
    _harmonise(node_rows)
    _harmonise(edge_rows)
    for node, row in zip(sub.nodes, node_rows, strict=True):
        g.add_node(node.id, **row)
    for edge, erow in zip(sub.edges, edge_rows, strict=True):
        g.add_edge(edge.source, edge.target, key=edge.type, **erow)
    buf = io.BytesIO()
    nx.write_graphml(g, buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue().decode("utf-8")
