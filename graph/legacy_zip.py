"""The embedded store's old format, read once to migrate it: one `graph.zip` holding the networkx graph
(graph.json: nodes with label, origins, props; edges keyed by type with origins, evidence, props) and
the passage vectors (vector_ids.json + vectors.npy). graph.embedded_migrate writes it into the new store.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from graph.errors import StoreCorrupt

FORMAT = 1
FILE = "graph.zip"


def load_state(path: Path) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """(graph.json as saved, passage id → vector)."""
    try:
        with zipfile.ZipFile(path) as zf:
            data: dict[str, Any] = json.loads(zf.read("graph.json"))
            ids: list[str] = json.loads(zf.read("vector_ids.json"))
            matrix = np.load(io.BytesIO(zf.read("vectors.npy")))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise StoreCorrupt(f"cannot read {path}: {exc}") from exc
    if data.get("format") != FORMAT or len(ids) != len(matrix):
        raise StoreCorrupt(f"{path}: unknown format {data.get('format')!r} or vector count mismatch")
    return data, {i: matrix[n] for n, i in enumerate(ids)}
