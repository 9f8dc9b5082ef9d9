"""Atomic persistence of the embedded store: one zip file replaced with os.replace.

A save writes a complete new file next to the old one, fsyncs it, renames it over the old one and
fsyncs the folder. A crash at any point leaves either the old or the new file, both complete; a
half-written temporary file is ignored on load and removed by the next start.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

from graph.errors import StoreCorrupt

FORMAT = 1
_TMP_PREFIX = ".graph-"
_TMP_SUFFIX = ".tmp"


def save_state(path: Path, graph: nx.MultiDiGraph, vectors: dict[str, np.ndarray]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    graph_json = json.dumps(
        {
            "format": FORMAT,
            "nodes": [{"id": n, **a} for n, a in graph.nodes(data=True)],
            "edges": [{"source": u, "target": v, "type": k, **a} for u, v, k, a in graph.edges(keys=True, data=True)],
        },
        ensure_ascii=False,
    )
    ids = sorted(vectors)
    buf = io.BytesIO()
    np.save(buf, np.stack([vectors[i] for i in ids]) if ids else np.zeros((0, 0), np.float32))
    fd, tmp = tempfile.mkstemp(prefix=_TMP_PREFIX, suffix=_TMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED) as zf:
                zf.writestr("graph.json", graph_json)
                zf.writestr("vector_ids.json", json.dumps(ids, ensure_ascii=False))
                # Float vectors barely compress and deflating them is most of a save's time.
                zf.writestr("vectors.npy", buf.getvalue(), compress_type=zipfile.ZIP_STORED)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    # Makes the rename itself durable; not every platform lets a folder be opened.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def remove_stale_temporaries(path: Path) -> None:
    """Temporary files left by a save that was killed."""
    if path.parent.is_dir():
        for stale in path.parent.glob(f"{_TMP_PREFIX}*{_TMP_SUFFIX}"):
            stale.unlink(missing_ok=True)


def load_state(path: Path) -> tuple[nx.MultiDiGraph, dict[str, np.ndarray]]:
    try:
        with zipfile.ZipFile(path) as zf:
            data: dict[str, Any] = json.loads(zf.read("graph.json"))
            ids: list[str] = json.loads(zf.read("vector_ids.json"))
            matrix = np.load(io.BytesIO(zf.read("vectors.npy")))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise StoreCorrupt(f"cannot read {path}: {exc}") from exc
    if data.get("format") != FORMAT or len(ids) != len(matrix):
        raise StoreCorrupt(f"{path}: unknown format {data.get('format')!r} or vector count mismatch")
    g: nx.MultiDiGraph = nx.MultiDiGraph()
    for node in data["nodes"]:
        nid = node.pop("id")
        g.add_node(nid, **node)
    for edge in data["edges"]:
        g.add_edge(edge.pop("source"), edge.pop("target"), key=edge.pop("type"), **edge)
    return g, {i: matrix[n] for n, i in enumerate(ids)}
