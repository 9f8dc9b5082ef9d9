"""Run as a child process by test_embedded_persistence: writes documents to the embedded store in a loop
until killed.

Each round adds one document of PASSAGES passages (512-d vectors) and then appends the number of
documents now written to the progress file. The write path is instrumented so that the test can strike
inside a write: once every row of a document is in the database but before COMMIT, the marker file
exists for a few milliseconds. The keyword index saves a file segment every few documents and the
HNSW index is on from ANN_ROWS rows, so kills also land in those saves.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

from graph import keyword_index, persistence, vector_index
from graph.embedded import EmbeddedStore
from graph.models import Document, DocumentBundle, Passage

PASSAGES = 150
DIM = 512
ANN_ROWS = 600
MARKER = "inside-write"


def bundle(i: int) -> DocumentBundle:
    doc = Document(id=f"doc:{i:04d}", title=f"文件{i}", source=f"{i}.txt", sha256=f"sha{i}")
    passages = [
        Passage(
            id=f"psg:{i:04d}:{j:03d}",
            doc_id=doc.id,
            text=f"第{i}号文件第{j}段：楚怡职业教育行动计划",
            order=j,
            embedding=[float((i * PASSAGES + j) % DIM == d) for d in range(DIM)],
        )
        for j in range(PASSAGES)
    ]
    return DocumentBundle(document=doc, passages=passages)


def instrument(marker: Path) -> None:
    rng = random.Random()
    finish = persistence.Txn.finish

    def finish_then_wait(txn: persistence.Txn) -> None:
        finish(txn)  # every row written, not yet committed
        marker.touch()
        time.sleep(rng.uniform(0.0, 0.02))

    persistence.Txn.finish = finish_then_wait  # type: ignore[method-assign]
    keyword_index.FLUSH_POSTINGS = 3 * PASSAGES * 20  # a file segment every few documents
    vector_index.ANN_MIN_ROWS = ANN_ROWS


def main(data_dir: Path, progress: Path) -> None:
    marker = data_dir.parent / MARKER
    instrument(marker)
    store = EmbeddedStore(data_dir)
    store.start()
    i = len(store.list_documents())
    while True:
        store.upsert_document(bundle(i))
        marker.unlink(missing_ok=True)
        i += 1
        with progress.open("a") as fh:
            fh.write(f"{i}\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
