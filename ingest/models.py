"""Typed models passed between ingest stages (loader → cleaning → structure → extraction → bundle)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from graph.models import Entity, Relation


class LoadedDocument(BaseModel):
    """What a loader gives: the raw text of one file plus what the format itself told us."""

    source: str
    format: str
    text: str
    sha256: str
    encoding: str | None = None
    title_hint: str | None = None


# --- cleaning -----------------------------------------------------------------------------------


class DroppedText(BaseModel):
    """One piece of text cleaning removed, and why."""

    kind: Literal[
        "duplicate_paragraph",
        "near_duplicate_paragraph",
        "repeated_issuer_line",
        "masthead_fragment",
        "page_number",
        "running_header",
        "markup",
    ]
    text: str
    line: int
    duplicate_of_line: int | None = None
    similarity: float | None = None


class JoinedLines(BaseModel):
    """Two pieces of one sentence that the source had broken apart, and where."""

    line: int
    next_line: int
    across_blank_line: bool
    before: str  # the tail of the first piece
    after: str  # the head of the second piece
    reason: str


class NormalisationCounts(BaseModel):
    fullwidth_chars: int = 0
    spaces_removed: int = 0
    invisible_chars: int = 0


class CleaningReport(BaseModel):
    """What cleaning did to one document. Written as JSON for every ingested document."""

    source: str
    doc_id: str = ""
    format: str = ""
    encoding: str | None = None
    chars_in: int = 0
    chars_out: int = 0
    normalisation: NormalisationCounts = Field(default_factory=NormalisationCounts)
    issuer_lines_seen: int = 0
    issuers_kept: list[str] = Field(default_factory=list)
    dropped: list[DroppedText] = Field(default_factory=list)
    joined: list[JoinedLines] = Field(default_factory=list)
    metadata_lines: list[str] = Field(default_factory=list)
    repeated_headings_merged: list[str] = Field(default_factory=list)

    def count(self, *kinds: str) -> int:
        return sum(1 for d in self.dropped if d.kind in kinds)

    @property
    def duplicates_dropped(self) -> int:
        return self.count("duplicate_paragraph", "near_duplicate_paragraph", "repeated_issuer_line")


class Paragraph(BaseModel):
    text: str
    line: int  # 1-based line of the source text where the paragraph starts


class CleanDocument(BaseModel):
    """Cleaned text: a front matter (title, issuers, dates …) and the body paragraphs in order."""

    front: list[Paragraph] = Field(default_factory=list)
    issuer_lines: list[str] = Field(default_factory=list)
    title_lines: list[str] = Field(default_factory=list)
    body: list[Paragraph] = Field(default_factory=list)
    tail: list[Paragraph] = Field(default_factory=list)  # signature block and closing metadata
    report: CleaningReport


# --- structure ----------------------------------------------------------------------------------


class SectionNode(BaseModel):
    key: str  # the path, unique within the document: 二/（一）/2
    label: str  # the path segment: 2
    heading: str
    marker_kind: str
    level: int
    order: int
    parent_key: str | None = None


class PlacedParagraph(BaseModel):
    """A body paragraph with the section it belongs to (None before the first heading)."""

    text: str
    section_key: str | None
    is_heading_only: bool = False


class StructuredDocument(BaseModel):
    sections: list[SectionNode] = Field(default_factory=list)
    paragraphs: list[PlacedParagraph] = Field(default_factory=list)


class PassageDraft(BaseModel):
    text: str
    section_key: str | None
    kind: Literal["front", "body", "tail"] = "body"


# --- metadata and extraction ---------------------------------------------------------------------


class DocumentMetadata(BaseModel):
    title: str
    issuers: list[str] = Field(default_factory=list)
    doc_number: str | None = None
    date: str | None = None  # ISO date of signature / promulgation when one is given
    dates: list[str] = Field(default_factory=list)
    publication: str | None = None  # 主动公开 / 依申请公开 / 不予公开
    region: str | None = None  # the region the document speaks for (湖南省)


class Mention(BaseModel):
    """A recognised name in a passage, resolved to its canonical form."""

    label: Literal["Organization", "Programme"]
    surface: str
    canonical: str
    start: int
    end: int
    kind: str | None = None  # organisation kind
    region: str | None = None


class Extraction(BaseModel):
    entities: list[Entity] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)


# --- results ------------------------------------------------------------------------------------


class FileError(BaseModel):
    source: str
    error: str
    message: str


class FileOutcome(BaseModel):
    source: str
    status: Literal["ingested", "unchanged", "failed"]
    doc_id: str | None = None
    title: str | None = None
    passages: int = 0
    entities: int = 0
    relations: int = 0
    duplicates_dropped: int = 0
    report: str | None = None  # path of the cleaning report
    error: FileError | None = None


class IngestSummary(BaseModel):
    documents: int = 0
    unchanged: int = 0
    passages: int = 0
    entities: int = 0
    relations: int = 0
    duplicates_dropped: int = 0
    errors: list[FileError] = Field(default_factory=list)
    files: list[FileOutcome] = Field(default_factory=list)
    report_dir: str | None = None

    @property
    def ok(self) -> bool:
        return not self.errors
