"""What one document may cost while it is ingested, checked while it is being read, not after.

`IngestLimits` are the configured bounds: characters and paragraphs of extracted text, the bytes a
.docx archive may unpack to, and the seconds an ingest may take. An `IngestBudget` applies them to one
document: the pipeline activates it around the document's ingest, and the loaders and long loops
(docx paragraphs, PDF pages, duplicate detection, embedding batches) call `checkpoint()` and
`check_text()` as they go. A budget also carries a cancel flag and a progress callback, which is how a
background upload job reports its stage and stops early. The budget lives in a context variable so
that the deep loops need no extra parameters; outside an active budget the default limits still hold
(without a deadline).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from ingest.errors import IngestCancelled, IngestTimedOut, TooMuchText, UnpackedTooLarge

# Progress: (stage, done, total); total 0 when unknown.
ProgressCallback = Callable[[str, int, int], None]


@dataclass(frozen=True)
class IngestLimits:
    # The seed is 15,000 characters in 160 paragraphs and the largest of the 22 laws 60,000 in 900; a
    # whole year of a department's documents in one file stays far below these.
    max_chars: int = 2_000_000
    max_paragraphs: int = 50_000
    # A .docx's declared unpacked size (all members): real ones are a few MB of XML plus their images.
    max_unpacked_bytes: int = 100 * 1024 * 1024
    max_archive_entries: int = 10_000
    # A document at the text limits (2.2M characters, 50,000 paragraphs → 5,500 passages) builds in 13 s
    # and embeds in about 200 s (28 passages/s) on two cores: the deadline leaves three times that.
    timeout_s: float = 600.0


class IngestBudget:
    """The limits applied to one document, with its deadline, cancel flag and progress callback."""

    def __init__(
        self,
        limits: IngestLimits,
        *,
        cancel: threading.Event | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> None:
        self.limits = limits
        self._cancel = cancel
        self._on_progress = on_progress
        self._deadline: float | None = None

    @contextmanager
    def active(self) -> Iterator[IngestBudget]:
        """Make this the budget the loaders and loops check; the clock starts now."""
        self._deadline = time.monotonic() + self.limits.timeout_s
        token = _ACTIVE.set(self)
        try:
            yield self
        finally:
            _ACTIVE.reset(token)

    def checkpoint(self, stage: str | None = None, done: int = 0, total: int = 0) -> None:
        """Raise if the ingest was cancelled or is over its time; report progress when a stage is named."""
        if self._cancel is not None and self._cancel.is_set():
            raise IngestCancelled("the ingest was cancelled; nothing was written")
        if self._deadline is not None and time.monotonic() > self._deadline:
            raise IngestTimedOut(
                f"the document took longer than {self.limits.timeout_s:g} s to ingest; nothing was written"
            )
        if stage is not None and self._on_progress is not None:
            self._on_progress(stage, done, total)

    def check_text(self, chars: int, paragraphs: int) -> None:
        if chars > self.limits.max_chars:
            raise TooMuchText(f"the document holds more than {self.limits.max_chars:,} characters of text")
        if paragraphs > self.limits.max_paragraphs:
            raise TooMuchText(f"the document holds more than {self.limits.max_paragraphs:,} paragraphs")

    def check_archive(self, unpacked_bytes: int, entries: int) -> None:
        if entries > self.limits.max_archive_entries:
            raise UnpackedTooLarge(f"the archive has {entries:,} entries (at most {self.limits.max_archive_entries:,})")
        if unpacked_bytes > self.limits.max_unpacked_bytes:
            raise UnpackedTooLarge(
                f"the archive declares {unpacked_bytes:,} unpacked bytes (at most {self.limits.max_unpacked_bytes:,})"
            )


_DEFAULT = IngestBudget(IngestLimits())
_ACTIVE: ContextVar[IngestBudget | None] = ContextVar("ingest_budget", default=None)


def current() -> IngestBudget:
    """The active budget, or the default limits without a deadline."""
    return _ACTIVE.get() or _DEFAULT


def checkpoint(stage: str | None = None, done: int = 0, total: int = 0) -> None:
    current().checkpoint(stage, done, total)
