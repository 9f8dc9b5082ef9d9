"""The job runner on its own: one job at a time, a bounded queue (429), cancelling a queued job runs its
cleanup and it never starts, shutdown stops what runs at its next checkpoint."""

from __future__ import annotations

import threading

import pytest
from pydantic import BaseModel

from ingest.errors import IngestCancelled
from search_api.errors import TooManyJobs
from search_api.jobs import Job, JobRunner


class Done(BaseModel):
    value: int


def test_queue_is_bounded_and_a_cancelled_queued_job_never_runs() -> None:
    runner = JobRunner(max_queued=2)
    gate, started, cleaned = threading.Event(), threading.Event(), []

    def blocking(job: Job) -> Done:
        started.set()
        gate.wait(30)
        if job.cancel.is_set():
            raise IngestCancelled("cancelled")
        return Done(value=1)

    first = runner.submit("upload", "a.txt", blocking, lambda: cleaned.append("a"))
    second = runner.submit("upload", "b.txt", lambda job: Done(value=2), lambda: cleaned.append("b"))
    assert started.wait(30)
    with pytest.raises(TooManyJobs):
        runner.submit("upload", "c.txt", lambda job: Done(value=3))
    runner.cancel(second.id)
    assert second.status == "cancelled" and cleaned == ["b"]
    gate.set()
    assert first.future is not None
    first.future.result(30)
    assert first.status == "succeeded" and first.out().result == {"value": 1} and cleaned == ["b", "a"]
    runner.shutdown()


def test_shutdown_cancels_a_running_job() -> None:
    runner = JobRunner(max_queued=4)
    started = threading.Event()

    def until_cancelled(job: Job) -> Done:
        started.set()
        job.cancel.wait(30)
        raise IngestCancelled("the ingest was cancelled; nothing was written")

    job = runner.submit("upload", "x.txt", until_cancelled)
    assert started.wait(30)
    runner.shutdown()
    assert job.status == "cancelled" and job.error is not None and job.error.code == "ingest_cancelled"
