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
    # HTML pages: the rows of a gov.cn header table (信息索引 | … | 发文机构 | …) as "label：value" lines,
    # read from the page itself because the article extractor may drop the table; and the page's own
    # date and source (<meta name="PubDate">, "ContentSource" of the 政府网站发展指引 meta tags).
    header_lines: list[str] = Field(default_factory=list)
    page_date: str | None = None
    page_source: str | None = None
    problems: list[str] = Field(default_factory=list)  # what the loader could not read (a broken table …)


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
        "repeated_title",
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
    traditional_chars: int = 0  # traditional characters written in simplified form (ingest/script.py)


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


class HeaderFields(BaseModel):
    """What a gov.cn header table (or its label/value lines in extracted text) says."""

    title: str | None = None  # 标题 / 信息名称
    index_no: str | None = None  # 索引号 / 信息索引
    issuer_text: str | None = None  # 发文机关 / 发文机构 as written (教育部等九部门)
    doc_number: str | None = None  # 发文字号
    written_date: str | None = None  # 成文日期 (ISO)
    published_date: str | None = None  # 发布日期 / 生成日期 / 发布时间 (ISO)
    subject: str | None = None  # 主题分类 / 信息类别
    source: str | None = None  # 来源
    problems: list[str] = Field(default_factory=list)  # values that could not be read


class Paragraph(BaseModel):
    text: str
    line: int  # 1-based line of the source text where the paragraph starts


class Signature(BaseModel):
    """A 落款: organisation lines followed by a date line, at the end or before an attached text."""

    issuers: list[str]
    date: str | None = None  # ISO
    line: int


class CleanDocument(BaseModel):
    """Cleaned text: a front matter (title, issuers, dates …) and the body paragraphs in order."""

    header: HeaderFields = Field(default_factory=lambda: HeaderFields())
    signatures: list[Signature] = Field(default_factory=list)
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


class VersionLine(BaseModel):
    """One promulgation line of a law: 2022年4月20日 第十三届全国人民代表大会常务委员会第三十四次会议修订."""

    date: str  # ISO
    action: str  # 通过 / 修订 / 修正 / 批准 / 公布 / 发布 / 施行
    text: str


class DocumentMetadata(BaseModel):
    title: str
    issuers: list[str] = Field(default_factory=list)
    doc_number: str | None = None
    date: str | None = None  # ISO date of publication (发布日期, 公布) or else of signature
    dates: list[str] = Field(default_factory=list)
    publication: str | None = None  # 主动公开 / 依申请公开 / 不予公开
    region: str | None = None  # the region the document speaks for (湖南省)
    kind: str | None = None  # a graph.models.DocumentKind
    work: str | None = None
    version_date: str | None = None
    written_date: str | None = None
    subject: str | None = None
    index_no: str | None = None
    title_from: str = "text"  # header / page / text / headline / file name / first sentence
    versions: list[VersionLine] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)  # fields that could not be read, and why


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


class SkippedFile(BaseModel):
    """A file a folder walk left out: not a policy text (README, SOURCES, LICENSE …) or not a format we read."""

    source: str
    reason: str


class FileOutcome(BaseModel):
    source: str
    # duplicate: the same normalised text is already stored under another name or encoding (duplicate_of)
    status: Literal["ingested", "unchanged", "duplicate", "failed"]
    doc_id: str | None = None
    title: str | None = None
    duplicate_of: str | None = None
    warnings: list[str] = Field(default_factory=list)  # metadata that could not be read
    passages: int = 0
    entities: int = 0
    relations: int = 0
    duplicates_dropped: int = 0
    report: str | None = None  # path of the cleaning report
    error: FileError | None = None


class IngestSummary(BaseModel):
    documents: int = 0
    unchanged: int = 0
    duplicates: int = 0  # files whose text is already stored under another name or encoding
    passages: int = 0
    entities: int = 0
    relations: int = 0
    duplicates_dropped: int = 0
    errors: list[FileError] = Field(default_factory=list)
    files: list[FileOutcome] = Field(default_factory=list)
    skipped: list[SkippedFile] = Field(default_factory=list)
    superseded: list[str] = Field(default_factory=list)  # "title (version date)" of documents now superseded
    report_dir: str | None = None

    @property
    def incomplete_metadata(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status == "ingested" and f.warnings]

    @property
    def ok(self) -> bool:
        return not self.errors
