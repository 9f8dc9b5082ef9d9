"""Background jobs: large uploads and reference reloads run here, one at a time, off the request.

A job is queued (at most `max_queued` waiting or running; more answer 429), then run by the one worker
thread; its progress (stage, done, total) is readable at GET /api/jobs/{id} while it runs, its result or
error when it is finished. Cancelling sets the job's flag, which the ingest checks at every checkpoint
(ingest.limits), so a cancelled job stops before its write and leaves the store as it was; the same
happens when it goes over its limits. Jobs live in memory: a restart forgets them (the store does
not: a job either wrote its document whole or not at all).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from ingest.errors import IngestCancelled, LimitExceeded
from search_api.errors import KNOWN_ERRORS, NotFound, TooManyJobs, status_for

log = logging.getLogger(__name__)

JobKind = Literal["upload", "reference"]
JobStatus = Literal["queued", "running", "succeeded", "failed", "cancelled"]
_KEEP_FINISHED = 200  # finished jobs remembered for GET /api/jobs/{id}


class JobProgress(BaseModel):
    stage: str = Field(
        description="queued, loading, building, cleaning, structuring, extracting, embedding, writing, done"
    )
    done: int = 0
    total: int = Field(default=0, description="0 when the stage has no count")


class JobError(BaseModel):
    code: str
    message: str
    status: int = Field(description="The HTTP status the same failure has as a direct answer")


class JobOut(BaseModel):
    id: str
    kind: JobKind
    name: str = Field(description="The uploaded file's name, or what is reloaded")
    status: JobStatus
    progress: JobProgress
    created_at: str
    started_at: str | None = None
    finished_at: str | None = None
    result: dict[str, Any] | None = Field(
        default=None, description="When succeeded: an UploadResult for uploads, the load report for reloads"
    )
    error: JobError | None = None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass
class Job:
    id: str
    kind: JobKind
    name: str
    cancel: threading.Event = field(default_factory=threading.Event)
    status: JobStatus = "queued"
    progress: JobProgress = field(default_factory=lambda: JobProgress(stage="queued"))
    created_at: str = field(default_factory=_now)
    started_at: str | None = None
    finished_at: str | None = None
    result: BaseModel | None = None
    error: JobError | None = None
    future: Future[None] | None = None
    cleanup: Callable[[], None] | None = None  # removes what the job was given (the uploaded file)

    def report(self, stage: str, done: int, total: int) -> None:
        self.progress = JobProgress(stage=stage, done=done, total=total)

    def out(self) -> JobOut:
        return JobOut(
            id=self.id, kind=self.kind, name=self.name, status=self.status, progress=self.progress,
            created_at=self.created_at, started_at=self.started_at, finished_at=self.finished_at,
            result=self.result.model_dump(mode="json") if self.result is not None else None, error=self.error,
        )  # fmt: skip


# The work of a job: given the job (its cancel flag and progress), returns the result.
Work = Callable[[Job], BaseModel]


class JobRunner:
    def __init__(self, max_queued: int) -> None:
        self._max_queued = max_queued
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._executor: ThreadPoolExecutor | None = None  # started with the first job

    def submit(self, kind: JobKind, name: str, work: Work, cleanup: Callable[[], None] | None = None) -> Job:
        with self._lock:
            active = sum(1 for j in self._jobs.values() if j.status in ("queued", "running"))
            if active >= self._max_queued:
                raise TooManyJobs(f"{active} jobs are queued or running; try again later")
            job = Job(id=uuid.uuid4().hex, kind=kind, name=name, cleanup=cleanup)
            self._jobs[job.id] = job
            self._forget_old()
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chuyi-job")
            job.future = self._executor.submit(self._run, job, work)
        return job

    def get(self, job_id: str) -> Job:
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None:
            raise NotFound(f"no job with id {job_id[:64]!r}")
        return job

    def cancel(self, job_id: str) -> Job:
        job = self.get(job_id)
        job.cancel.set()
        if job.future is not None and job.future.cancel():  # it had not started: it never will
            self._never_ran(job)
        return job

    def _never_ran(self, job: Job) -> None:
        self._finish(
            job, "cancelled", JobError(code="ingest_cancelled", message="cancelled before it started", status=409)
        )
        if job.cleanup is not None:
            job.cleanup()

    def shutdown(self) -> None:
        """Cancel what is queued or running and wait until the worker has stopped (at its next checkpoint)."""
        with self._lock:
            jobs = list(self._jobs.values())
            executor, self._executor = self._executor, None
        for job in jobs:
            job.cancel.set()
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
        for job in jobs:
            if job.future is not None and job.future.cancelled() and job.status == "queued":
                self._never_ran(job)

    def _run(self, job: Job, work: Work) -> None:
        job.status, job.started_at = "running", _now()
        started = time.perf_counter()
        try:
            if job.cancel.is_set():
                raise IngestCancelled("the job was cancelled before it started")
            result = work(job)
        except (IngestCancelled, LimitExceeded) as exc:
            self._finish(job, "cancelled", error=_error(exc))
        except Exception as exc:
            if not isinstance(exc, KNOWN_ERRORS):
                log.exception("job %s (%s %s) failed", job.id, job.kind, job.name)
            self._finish(job, "failed", error=_error(exc))
        else:
            job.result = result
            job.report("done", 1, 1)
            self._finish(job, "succeeded")
        finally:
            if job.cleanup is not None:
                job.cleanup()
            log.info(
                "job %s %s %s: %s in %.1f s", job.id, job.kind, job.name, job.status, time.perf_counter() - started
            )

    def _finish(self, job: Job, status: JobStatus, error: JobError | None = None) -> None:
        job.status, job.error, job.finished_at = status, error, _now()

    def _forget_old(self) -> None:
        finished = [j.id for j in self._jobs.values() if j.status not in ("queued", "running")]
        for job_id in finished[: max(0, len(finished) - _KEEP_FINISHED)]:
            del self._jobs[job_id]


def _error(exc: Exception) -> JobError:
    status, code = status_for(exc)
    message = str(exc) if isinstance(exc, KNOWN_ERRORS) else "internal error"
    return JobError(code=code, message=message, status=status)
