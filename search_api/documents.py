"""Documents through the API: upload (runs the ingest pipeline), list, delete.

An upload arrives as a file of its own temporary folder under its (safe) original name, because the
pipeline derives the document id and title from the name: uploading a file is the same as `chuyi
ingest` on it. A small upload is ingested while the client waits (201); a larger one becomes a
background job (202, search_api.jobs). Either way it runs under the document's limits (ingest.limits)
and under the document's lock: uploads of one name (one document id) and its deletion take turns, so
concurrent uploads of one name each answer with the version they wrote, one after the other.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Literal

from pydantic import BaseModel, Field

from graph.models import Document
from graph.store import GraphStore
from ingest.bundle import document_id
from ingest.errors import FileTooLarge, IngestCancelled, IngestError, LimitExceeded, ModelUnavailable, UnsupportedFormat
from ingest.limits import IngestBudget, IngestLimits
from ingest.models import FileOutcome
from ingest.pipeline import IngestPipeline
from ingest.versions import delete_document, refresh_versions
from search_api.errors import IngestFailed, NotFound
from search_api.jobs import Job, JobRunner
from search_api.references.catalogue import Library
from search_api.uploads import ReceivedFile

# Errors that keep their own status (413, 415, 409, 503 …); every other ingest error is a 422 ingest_failed.
_OWN_STATUS = (FileTooLarge, UnsupportedFormat, LimitExceeded, IngestCancelled, ModelUnavailable)


class DocumentItem(Document):
    """A document as the library lists it: its metadata and how many passages it holds."""

    passages: int = Field(default=0, description="Passages the document was split into")
    version: str = Field(default="", description="Which version of its work it is: 2022年4月20日修订 (when known)")
    versions: int = Field(default=1, description="How many versions of its work the library holds")


class DocumentList(BaseModel):
    documents: list[DocumentItem]
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


class KeyedLocks:
    """One lock per key, kept only while someone holds or waits for it."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, tuple[threading.Lock, int]] = {}

    @contextmanager
    def hold(self, key: str) -> Iterator[None]:
        with self._guard:
            lock, users = self._locks.get(key, (threading.Lock(), 0))
            self._locks[key] = (lock, users + 1)
        try:
            with lock:
                yield
        finally:
            with self._guard:
                lock, users = self._locks[key]
                if users == 1:
                    del self._locks[key]
                else:
                    self._locks[key] = (lock, users - 1)


class DocumentService:
    def __init__(
        self,
        store: GraphStore,
        pipeline: Callable[[], IngestPipeline],
        jobs: JobRunner,
        limits: IngestLimits,
        *,
        max_bytes: int,
        job_threshold_bytes: int,
        library: Library | None = None,
    ) -> None:
        self._store = store
        self._library = library
        self._pipeline = pipeline
        self._jobs = jobs
        self._limits = limits
        self.max_bytes = max_bytes
        self._job_threshold = job_threshold_bytes
        self._locks = KeyedLocks()
        self._counts: tuple[int, dict[str, int]] | None = None  # (store revision, passages per document)
        self._counts_lock = threading.Lock()

    def list(self) -> DocumentList:
        docs = self._store.list_documents()
        counts = self.passage_counts()
        items = [DocumentItem(**d.model_dump(), passages=counts.get(d.id, 0)) for d in docs]
        if self._library is not None:
            # The library's versions decide `status` (a document's own field defaults to current where ingest
            # did not read its work), and name the version; all from the one document list it holds.
            self._library.refresh()
            for item in items:
                version = self._library.version(item.id)
                if version is not None:
                    item.status = version.status
                    item.version = version.version_label
                    item.versions = version.versions
        return DocumentList(documents=items, count=len(items))

    def passage_counts(self) -> dict[str, int]:
        """Passages per document id, read in one export of the Passage nodes (no per-document reads) and
        kept until the store's revision changes."""
        revision = self._store.revision()
        with self._counts_lock:
            if self._counts is not None and self._counts[0] == revision:
                return self._counts[1]
        counts: dict[str, int] = {}
        for node in self._store.export_json(labels=["Passage"]).nodes:
            doc_id = node.properties.get("doc_id")
            if isinstance(doc_id, str):
                counts[doc_id] = counts.get(doc_id, 0) + 1
        with self._counts_lock:
            self._counts = (revision, counts)
        return counts

    def get(self, doc_id: str) -> Document:
        doc = self._store.get_document(doc_id)
        if doc is None:
            raise NotFound(f"no document with id {doc_id[:200]!r}")
        return doc

    def delete(self, doc_id: str) -> DeleteResult:
        with self._locks.hold(doc_id):
            if not delete_document(self._store, doc_id):  # also recomputes which versions are current
                raise NotFound(f"no document with id {doc_id[:200]!r}")
            return DeleteResult(deleted=doc_id, remaining=self._store.stats().nodes.get("Document", 0))

    def upload(self, received: ReceivedFile) -> UploadResult | Job:
        """Ingest now (small files) or as a job (larger than the threshold). Takes over `received`:
        its temporary folder is removed when the ingest is over."""
        if received.size > self._job_threshold:
            try:
                return self._jobs.submit(
                    "upload", received.name, lambda job: self.ingest(received, self._budget(job)), received.discard
                )
            except BaseException:
                received.discard()  # not queued (too many jobs): nobody else will remove it
                raise
        try:
            return self.ingest(received, IngestBudget(self._limits))
        finally:
            received.discard()

    def _budget(self, job: Job) -> IngestBudget:
        return IngestBudget(self._limits, cancel=job.cancel, on_progress=job.report)

    def ingest(self, received: ReceivedFile, budget: IngestBudget) -> UploadResult:
        own_id = document_id(received.name)
        with self._locks.hold(own_id):
            try:
                before = self._store.get_document(own_id)  # a new text of it may belong to another work
                outcome = self._pipeline().ingest_one(received.path, budget)
                if outcome.status == "ingested":  # a new version may change which one of its work is current
                    now = self._store.get_document(outcome.doc_id) if outcome.doc_id else None
                    refresh_versions(self._store, [d.work for d in (before, now) if d is not None])
            except _OWN_STATUS:
                raise
            except IngestError as exc:
                raise IngestFailed(f"{received.name}: {type(exc).__name__}: {exc}") from exc
            except OSError as exc:
                raise IngestFailed(f"{received.name}: {type(exc).__name__}: {exc}") from exc
            return self._result(received, outcome)

    def _result(self, received: ReceivedFile, outcome: FileOutcome) -> UploadResult:
        # The stored document the pipeline reported (this file's, or the one with the same bytes or text).
        doc = self._store.get_document(outcome.doc_id) if outcome.doc_id else None
        if doc is None:
            raise IngestFailed(f"{received.name}: the pipeline reported no error but stored no document")
        return UploadResult(
            status=_upload_status(outcome),
            document=doc,
            passages=outcome.passages,
            entities=outcome.entities,
            relations=outcome.relations,
            duplicates_dropped=outcome.duplicates_dropped,
        )


def _upload_status(outcome: FileOutcome) -> Literal["ingested", "unchanged", "duplicate"]:
    if outcome.status == "duplicate":
        return "duplicate"
    return "unchanged" if outcome.status == "unchanged" else "ingested"
