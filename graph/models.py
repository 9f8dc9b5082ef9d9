"""Typed models that cross the graph boundary: what ingest writes and what search reads."""

from __future__ import annotations

import hashlib
from typing import Literal, get_args

from pydantic import BaseModel, Field

PropertyValue = str | int | float | bool | list[str] | None

# Labels and relationship types are ASCII (Neo4j conventions); Chinese is data.
NodeLabel = Literal[
    "Document",
    "Section",
    "Passage",
    "Organization",
    "Programme",
    "Target",
    "Specialty",
    "SpecialtyClass",
    "SpecialtyCategory",
    "Industry",
    "IndustryChain",
    "Region",
]
ENTITY_LABELS: tuple[str, ...] = (
    "Organization",
    "Programme",
    "Target",
    "Specialty",
    "SpecialtyClass",
    "SpecialtyCategory",
    "Industry",
    "IndustryChain",
    "Region",
)
RelType = Literal[
    "HAS_SECTION",
    "HAS_PASSAGE",
    "ISSUED_BY",
    "MENTIONS",
    "SETS_TARGET",
    "ASSIGNED_TO",
    "PART_OF",
    "IN_CLASS",
    "IN_CATEGORY",
    "CHILD_OF",
    "MAPS_TO",
    "SERVES",
    "OFFERS",
    "LOCATED_IN",
    "SUPERSEDES",  # newer version of a work → the older version it replaces (ingest/versions.py)
]

# Property values the schema fixes (graph/views.py reads them back typed). Organisation kinds are what
# ingest writes: the extractor (ingest/orgs.py), the curated aliases (corpora/knowledge/aliases.csv) and the
# institution list (schools).
OrganizationKind = Literal["government", "school", "enterprise", "group"]
SchoolLevel = Literal["本科", "专科"]  # 办学层次 in the MoE institution list
SpecialtyLevel = Literal["中职", "高职专科", "职业本科"]
SPECIALTY_LEVELS: tuple[SpecialtyLevel, ...] = ("中职", "高职专科", "职业本科")
IndustryLevel = Literal["门类", "大类", "中类", "小类"]
# A Target node is a plan's target (建设10所) or a reported result (2022年遴选30所); ingest sets `kind`.
TargetKind = Literal["target", "result"]
INDUSTRY_LEVELS: tuple[IndustryLevel, ...] = ("门类", "大类", "中类", "小类")
# What a document is (ingest/doc_kind.py reads it from title, header and issuer patterns).
DocumentKind = Literal[
    "法律", "行政法规", "地方性法规", "部门规章", "规划", "通知", "意见", "方案", "办法", "新闻", "其他"
]  # fmt: skip
DOCUMENT_KINDS: tuple[DocumentKind, ...] = get_args(DocumentKind)
# Of the versions of one work, the newest `version_date` is current; the others are superseded.
DocumentStatus = Literal["current", "superseded"]


def stable_id(prefix: str, *parts: str) -> str:
    """An id derived from content, so that re-ingesting the same thing yields the same id."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]
    return f"{prefix}:{digest}"


class Document(BaseModel):
    id: str
    title: str
    issuers: list[str] = Field(default_factory=list)
    doc_number: str | None = None  # 文号 / 发文字号
    date: str | None = None  # ISO date of publication (发布日期, 公布) or, failing that, of signature
    source: str
    sha256: str  # of the file's bytes
    publication: str | None = None  # 主动公开 / 依申请公开 / 不予公开
    kind: DocumentKind | None = None
    work: str | None = None  # the work all versions share: 职业教育法 for the 1996 and the 2022 law
    version_date: str | None = None  # ISO date of this version (adoption / revision / 成文日期)
    status: DocumentStatus = "current"
    written_date: str | None = None  # 成文日期
    subject: str | None = None  # 主题分类 / 信息类别
    index_no: str | None = None  # 信息索引 / 索引号
    text_sha256: str | None = None  # of the normalised text: the same text under another name or encoding
    header_passage_id: str | None = None  # the passage with the title and header lines (evidence for them)


class Section(BaseModel):
    id: str
    doc_id: str
    path: str
    heading: str
    order: int
    level: int = 1
    parent_id: str | None = None


class Passage(BaseModel):
    id: str
    doc_id: str
    section_id: str | None = None
    section_path: str = ""
    text: str
    order: int
    embedding: list[float] | None = None


class Entity(BaseModel):
    """Any non-document node: organisation, programme, target, specialty, industry …"""

    id: str
    label: NodeLabel
    name: str
    properties: dict[str, PropertyValue] = Field(default_factory=dict)


class Relation(BaseModel):
    source: str
    target: str
    type: RelType
    evidence: str | None = None
    properties: dict[str, PropertyValue] = Field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.source, self.type, self.target)


class DocumentBundle(BaseModel):
    """Everything one document brings; written whole or not at all."""

    document: Document
    sections: list[Section] = Field(default_factory=list)
    passages: list[Passage] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)


class Node(BaseModel):
    """A node as read back from a store, whatever its label."""

    id: str
    label: NodeLabel
    properties: dict[str, PropertyValue] = Field(default_factory=dict)
    origins: list[str] = Field(default_factory=list)  # documents / origin strings that brought it


class SearchFilters(BaseModel):
    """Restricts passage search. Every given field must match (AND); None means no restriction."""

    doc_ids: list[str] | None = None
    issuers: list[str] | None = None  # a passage matches when its document was ISSUED_BY one of these names/ids
    section_prefix: str | None = None  # passage.section_path starts with this (e.g. "二/（一）")
    entity_ids: list[str] | None = None  # the passage is the evidence of a relation touching one of these


class Edge(BaseModel):
    """A relationship as read back from a store."""

    source: str
    target: str
    type: RelType
    evidence: list[str] = Field(default_factory=list)
    properties: dict[str, PropertyValue] = Field(default_factory=dict)
    origins: list[str] = Field(default_factory=list)


class Subgraph(BaseModel):
    nodes: list[Node] = Field(default_factory=list)
    edges: list[Edge] = Field(default_factory=list)


class GraphPath(BaseModel):
    """One path between two nodes: nodes in order and the edges between consecutive ones."""

    nodes: list[Node]
    edges: list[Edge]


class PassageHit(BaseModel):
    passage: Passage
    document_title: str
    score: float
    rank: int


class StoreStats(BaseModel):
    nodes: dict[str, int] = Field(default_factory=dict)
    relationships: dict[str, int] = Field(default_factory=dict)

    @property
    def node_total(self) -> int:
        return sum(self.nodes.values())

    @property
    def relationship_total(self) -> int:
        return sum(self.relationships.values())
