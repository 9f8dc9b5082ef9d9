"""Run as a child process by test_embedded_persistence: saves the embedded store in a loop until killed.

Each round adds one document of PASSAGES passages (with 512-d vectors, so a save takes a while) and
then appends the number of documents now saved to the progress file."""

from __future__ import annotations

import sys
from pathlib import Path

from graph.embedded import EmbeddedStore
from graph.models import Document, DocumentBundle, Passage

PASSAGES = 150
DIM = 512


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


def main(data_dir: Path, progress: Path) -> None:
    store = EmbeddedStore(data_dir)
    store.start()
    i = len(store.list_documents())
    while True:
        store.upsert_document(bundle(i))
        i += 1
        with progress.open("a") as fh:
            fh.write(f"{i}\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
