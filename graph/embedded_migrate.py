"""Moves a store saved in the old format (data/graph.zip, graph.legacy_zip) into the new one on start.

The whole graph is written in one transaction, tokens made afresh with the store's tokenizer and the
vectors appended; then graph.zip is renamed graph.zip.migrated. A crash before the commit leaves the zip
to migrate again; one after it (before the rename) is recognised by the `migrated_from` mark.
"""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path

import numpy as np

from graph import legacy_zip
from graph.errors import StoreCorrupt
from graph.keyword_index import encode_terms
from graph.models import Document
from graph.persistence import Database, NewPassage, NodeRow, RelRow, merge_properties
from graph.text import Tokenizer
from graph.vector_index import VectorIndex
from graph.vectors import normalise

log = logging.getLogger(__name__)
_OLD_TEMPORARIES = ".graph-*.tmp"  # what a save of the old format left when killed


def migrate_zip(data_dir: Path, db: Database, tokenizer: Tokenizer, vectors: VectorIndex) -> bool:
    """Migrate data_dir/graph.zip if there is one; True when it did."""
    for stale in data_dir.glob(_OLD_TEMPORARIES):
        with contextlib.suppress(OSError):
            stale.unlink()
    path = data_dir / legacy_zip.FILE
    if not path.exists():
        return False
    done = data_dir / f"{legacy_zip.FILE}.migrated"
    if db.meta("migrated_from") == legacy_zip.FILE:
        os.replace(path, done)
        return False
    if db.conn.execute("SELECT 1 FROM nodes LIMIT 1").fetchone():
        raise StoreCorrupt(
            f"{data_dir} holds both an old {legacy_zip.FILE} and a new {db.path.name}; move one of them away"
        )
    data, vecs = legacy_zip.load_state(path)
    log.info("migrating %s (%d nodes) into %s", path, len(data["nodes"]), db.path.name)
    with db.transaction() as txn:
        passages = [n for n in data["nodes"] if n["label"] == "Passage"]
        dims = {len(v) for v in vecs.values()}
        if len(dims) > 1:
            raise StoreCorrupt(f"{path}: vectors of {sorted(dims)} dimensions")
        if vecs:
            matrix = np.zeros((len(passages), dims.pop()), np.float32)
            for i, p in enumerate(passages):
                if p["id"] in vecs:
                    matrix[i] = normalise(vecs[p["id"]])
            vectors.write(0, matrix)
            txn.set_meta("dim", matrix.shape[1])
        for node in data["nodes"]:
            props = node["props"]
            if node["label"] == "Document":
                # Fields added since the old format get their defaults, as a new write would give them.
                props = {}
                merge_properties(props, Document.model_validate({**node["props"], "id": node["id"]}).model_dump())
            txn.put_node(node["id"], NodeRow(node["label"], props, list(node["origins"])))
        for row, p in enumerate(passages):
            props = p["props"]
            tokens = tokenizer.search_tokens(str(props.get("text", "")))
            txn.add_passage(
                NewPassage(p["id"], row, str(props.get("doc_id", "")), str(props.get("section_path") or ""),
                           p["id"] in vecs, len(tokens), encode_terms(tokens))
            )  # fmt: skip
        for e in data["edges"]:
            txn.put_rel(
                (e["source"], e["type"], e["target"]), RelRow(e["props"], list(e["origins"]), list(e["evidence"]))
            )
        txn.set_meta("next_row", len(passages))
        txn.set_meta("migrated_from", legacy_zip.FILE)
        # The tokens were made with these names: nothing to re-tokenise for them later.
        txn.conn.executemany(
            "INSERT OR IGNORE INTO tokenizer_words VALUES (?)", [(w,) for w in sorted(tokenizer.words)]
        )
        txn.set_meta("tokenizer_version", tokenizer.version)
    os.replace(path, done)
    return True
