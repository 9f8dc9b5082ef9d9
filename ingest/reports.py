"""Cleaning reports on disk: one JSON per ingested document, and a summary of the last run.

A report is capped in size: a document with a million dropped fragments gets the counts and the first
of them, with `omitted` saying how many were left out, not a report larger than the document.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from ingest.models import CleaningReport, DocumentMetadata, IngestSummary

LAST_RUN = "last-run.json"
MAX_REPORT_BYTES = 1024 * 1024
_TEXT_CHARS = 200  # of each dropped or joined piece, once a report has to be cut


class DocumentReport(BaseModel):
    report: CleaningReport
    metadata: DocumentMetadata
    sections: int
    passages: int
    entities: int
    relations: int
    omitted: dict[str, int] = Field(default_factory=dict, description="List entries left out to keep the size")


def _size(doc: DocumentReport) -> int:
    return len(doc.model_dump_json(indent=2).encode("utf-8"))


def capped(doc: DocumentReport, max_bytes: int) -> DocumentReport:
    """The report, cut to at most max_bytes of JSON: long texts shortened, then lists halved."""
    if _size(doc) <= max_bytes:
        return doc
    r = doc.report
    lists: dict[str, list[Any]] = {
        "dropped": [d.model_copy(update={"text": d.text[:_TEXT_CHARS]}) for d in r.dropped],
        "joined": list(r.joined),
        "metadata_lines": [t[:_TEXT_CHARS] for t in r.metadata_lines],
        "repeated_headings_merged": [t[:_TEXT_CHARS] for t in r.repeated_headings_merged],
    }
    full = {k: len(v) for k, v in lists.items()}
    keep = min(max(full.values()), max_bytes // 100)  # an entry is at least 100 bytes of JSON
    while True:
        cut = {k: v[:keep] for k, v in lists.items()}
        omitted = {k: full[k] - len(cut[k]) for k in full if full[k] > len(cut[k])}
        out = doc.model_copy(update={"report": r.model_copy(update=cut), "omitted": omitted})
        if keep == 0 or _size(out) <= max_bytes:
            return out
        keep //= 2


def report_name(source: str, doc_id: str) -> str:
    stem = re.sub(r"[^\w\u4e00-\u9fff（）()\-]+", "_", Path(source).stem)[:80] or "document"
    return f"{stem}.{doc_id.split(':')[-1][:8]}.json"


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".report-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_document_report(report_dir: Path, doc: DocumentReport, max_bytes: int = MAX_REPORT_BYTES) -> Path:
    path = report_dir / report_name(doc.report.source, doc.report.doc_id)
    _write_atomic(path, capped(doc, max_bytes).model_dump_json(indent=2))
    return path


def write_run_summary(report_dir: Path, summary: IngestSummary) -> Path:
    path = report_dir / LAST_RUN
    _write_atomic(path, json.dumps(summary.model_dump(), ensure_ascii=False, indent=2))
    return path
