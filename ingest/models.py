"""Typed models passed between ingest stages."""

from __future__ import annotations

from pydantic import BaseModel, Field


class LoadedDocument(BaseModel):
    """What a loader gives: the raw text of one file plus what the format itself told us."""

    source: str
    format: str
    text: str
    sha256: str
    encoding: str | None = None
    title_hint: str | None = None


class FileError(BaseModel):
    source: str
    error: str
    message: str


class IngestSummary(BaseModel):
    documents: int = 0
    unchanged: int = 0
    passages: int = 0
    entities: int = 0
    relations: int = 0
    duplicates_dropped: int = 0
    errors: list[FileError] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors
