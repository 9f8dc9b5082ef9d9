"""Cleaning reports on disk: one JSON per ingested document, and a summary of the last run."""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

from pydantic import BaseModel

from ingest.models import CleaningReport, DocumentMetadata, IngestSummary

LAST_RUN = "last-run.json"


class DocumentReport(BaseModel):
    report: CleaningReport
    metadata: DocumentMetadata
    sections: int
    passages: int
    entities: int
    relations: int


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


def write_document_report(report_dir: Path, doc: DocumentReport) -> Path:
    path = report_dir / report_name(doc.report.source, doc.report.doc_id)
    _write_atomic(path, doc.model_dump_json(indent=2))
    return path


def write_run_summary(report_dir: Path, summary: IngestSummary) -> Path:
    path = report_dir / LAST_RUN
    _write_atomic(path, json.dumps(summary.model_dump(), ensure_ascii=False, indent=2))
    return path
