"""Documents through the API: upload (runs the ingest pipeline), list, delete.

An upload is written to a temporary folder under its original file name, because the pipeline derives
the document id and title from the name: uploading a file is the same as `chuyi ingest` on it.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from graph.models import Document
from graph.store import GraphStore
from ingest.errors import FileTooLarge, UnsupportedFormat
from ingest.loaders import supported_suffixes
from ingest.models import IngestSummary
from ingest.pipeline import IngestPipeline
from ingest.versions import delete_document
from search_api.errors import BadUpload, IngestFailed, NotFound


class DocumentList(BaseModel):
    documents: list[Document]
    count: int


class UploadResult(BaseModel):
    # duplicate: the same text is already stored under another name or encoding; `document` is that one
    status: Literal["ingested", "unchanged", "duplicate"]
    document: Document
    passages: int = 0
    entities: int = 0
    relations: int = 0
    duplicates_dropped: int = 0


class DeleteResult(BaseModel):
    deleted: str
    remaining: int = Field(description="Documents left in the store")


def safe_name(filename: str | None) -> str:
    """The base name of an uploaded file (no folders, nothing hidden)."""
    name = Path((filename or "").replace("\\", "/")).name.strip()
    if not name or name in (".", "..") or name.startswith("."):
        raise BadUpload(f"a file name is required (got {filename!r})")
    return name


class DocumentService:
    def __init__(self, store: GraphStore, pipeline: Callable[[], IngestPipeline], max_bytes: int) -> None:
        self._store = store
        self._pipeline = pipeline
        self._max_bytes = max_bytes

    def list(self) -> DocumentList:
        docs = self._store.list_documents()
        return DocumentList(documents=docs, count=len(docs))

    def get(self, doc_id: str) -> Document:
        for doc in self._store.list_documents():
            if doc.id == doc_id:
                return doc
        raise NotFound(f"no document with id {doc_id!r}")

    def delete(self, doc_id: str) -> DeleteResult:
        if not delete_document(self._store, doc_id):  # also recomputes which versions are current
            raise NotFound(f"no document with id {doc_id!r}")
        return DeleteResult(deleted=doc_id, remaining=len(self._store.list_documents()))

    def upload(self, filename: str | None, chunks: Iterable[bytes]) -> UploadResult:
        name = safe_name(filename)
        suffix = Path(name).suffix.lower()
        if suffix not in supported_suffixes():
            raise UnsupportedFormat(
                f"unsupported file type {suffix or '(none)'}; supported: {', '.join(sorted(supported_suffixes()))}"
            )
        with tempfile.TemporaryDirectory(prefix="chuyi-upload-") as tmp:
            path = Path(tmp) / name
            digest = hashlib.sha256()
            size = 0
            with path.open("wb") as out:
                for chunk in chunks:
                    size += len(chunk)
                    if size > self._max_bytes:
                        raise FileTooLarge(f"upload is over the {self._max_bytes}-byte limit")
                    digest.update(chunk)
                    out.write(chunk)
            summary = self._pipeline().ingest_paths([path])
        return self._result(name, digest.hexdigest(), summary)

    def _result(self, name: str, sha256: str, summary: IngestSummary) -> UploadResult:
        if summary.errors:
            err = summary.errors[0]
            raise IngestFailed(f"{name}: {err.error}: {err.message}")
        docs = self._store.list_documents()
        same = [d for d in docs if d.sha256 == sha256]
        doc = next((d for d in same if d.source == name), same[0] if same else None)
        outcome = summary.files[0] if summary.files else None
        if doc is None and outcome is not None and outcome.doc_id:  # same text, other bytes: the stored one
            doc = next((d for d in docs if d.id == outcome.doc_id), None)
        if doc is None:
            raise IngestFailed(f"{name}: the pipeline reported no error but stored no document")
        status: Literal["ingested", "unchanged", "duplicate"] = "ingested"
        if summary.duplicates:
            status = "duplicate"
        elif summary.documents == 0 and summary.unchanged:
            status = "unchanged"
        return UploadResult(
            status=status,
            document=doc,
            passages=summary.passages,
            entities=summary.entities,
            relations=summary.relations,
            duplicates_dropped=summary.duplicates_dropped,
        )
