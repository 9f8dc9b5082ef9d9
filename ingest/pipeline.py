"""The ingest pipeline: files → loaded text → passages → embeddings → one DocumentBundle per file."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from tqdm import tqdm

from graph.models import Document, DocumentBundle, Passage, stable_id
from graph.store import GraphStore
from ingest.chunking import chunk_text
from ingest.embedding import Embedder
from ingest.errors import IngestError
from ingest.loaders import load_file, supported_suffixes
from ingest.models import FileError, IngestSummary, LoadedDocument


def collect_files(paths: Iterable[Path]) -> list[Path]:
    """Files named directly are always taken; folders contribute the files we know how to load."""
    suffixes = supported_suffixes()
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in suffixes))
        else:
            found.append(path)
    return found


def document_id(source: str) -> str:
    return stable_id("doc", Path(source).name)


def build_bundle(loaded: LoadedDocument) -> DocumentBundle:
    doc_id = document_id(loaded.source)
    title = loaded.title_hint or Path(loaded.source).stem
    document = Document(id=doc_id, title=title, source=Path(loaded.source).name, sha256=loaded.sha256)
    passages = [
        Passage(id=stable_id("psg", doc_id, str(i), text), doc_id=doc_id, text=text, order=i)
        for i, text in enumerate(chunk_text(loaded.text))
    ]
    return DocumentBundle(document=document, passages=passages)


class IngestPipeline:
    def __init__(self, store: GraphStore, embedder: Embedder, *, max_file_bytes: int, progress: bool = True) -> None:
        self._store = store
        self._embedder = embedder
        self._max_file_bytes = max_file_bytes
        self._progress = progress

    def ingest_paths(self, paths: Iterable[Path]) -> IngestSummary:
        files = collect_files(paths)
        summary = IngestSummary()
        for path in tqdm(files, desc="ingest", unit="file", disable=not self._progress):
            try:
                self._ingest_one(path, summary)
            except IngestError as exc:
                summary.errors.append(FileError(source=str(path), error=type(exc).__name__, message=str(exc)))
            except OSError as exc:
                summary.errors.append(FileError(source=str(path), error="OSError", message=str(exc)))
        return summary

    def _ingest_one(self, path: Path, summary: IngestSummary) -> None:
        loaded = load_file(path, self._max_file_bytes)
        existing = self._store.get_document_by_sha(loaded.sha256)
        if existing is not None and existing.id == document_id(loaded.source):
            summary.unchanged += 1
            return
        bundle = build_bundle(loaded)
        vectors = self._embedder.embed_passages([p.text for p in bundle.passages])
        for passage, vector in zip(bundle.passages, vectors, strict=True):
            passage.embedding = vector
        self._store.upsert_document(bundle)
        summary.documents += 1
        summary.passages += len(bundle.passages)
        summary.entities += len(bundle.entities)
        summary.relations += len(bundle.relations)
