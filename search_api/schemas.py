"""Request and response models of the HTTP API (the contract in DESIGN.md)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field

from graph.vocabulary import DOCUMENT_STATUSES, LABEL_NAMES, ORGANIZATION_KINDS, PROPERTY_NAMES, RELATIONS, TARGET_KINDS
from search_api import question_text
from search_api.ask.schemas import INTENT_NAMES, MODE_NAMES
from search_api.json_types import JsonInt, OneToHundred
from search_api.matching.schemas import EVIDENCE_NAMES, SIGNAL_NAMES


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorBody


class Health(BaseModel):
    status: str = "ok"
    store: str
    documents: int
    passages: int
    embedding_model: str
    writes: Literal["key", "loopback", "refused"] = Field(
        description="Who may write: key = a request with an API key; loopback = this machine only (no key "
        "set); refused = nobody (no key set and bound to a non-loopback address)"
    )
    writes_note: str = Field(description="The same in a sentence, as the start-up log says it")


class SearchFiltersIn(BaseModel):
    """Every given filter must match (AND)."""

    documents: list[str] | None = Field(default=None, description="Document ids to search within")
    issuers: list[str] | None = Field(
        default=None, description="Issuing organisations (names or ids)", examples=[["湖南省教育厅"]]
    )
    section: str | None = Field(
        default=None, max_length=200, description="Section path prefix, e.g. 二/（一）", examples=["二/（一）"]
    )
    entities: list[str] | None = Field(default=None, description="Entity ids the passage must be evidence for")


class SearchRequest(BaseModel):
    model_config = {
        "json_schema_extra": {
            "examples": [
                {"query": "给紧缺技能人才的住房优惠", "top_k": 5},
                {"query": "楚怡文化传承基地", "top_k": 5, "page": 2, "filters": {"section": "二"}},
            ]
        }
    }

    query: Annotated[str, AfterValidator(question_text.query)] = Field(
        json_schema_extra=question_text.schema(),
        examples=["给紧缺技能人才的住房优惠"],
        description=f"What to search for (1–{question_text.MAX_QUESTION_CHARS} characters; an empty or longer "
        "query is refused with a Chinese message)",
    )
    top_k: JsonInt = Field(default=10, ge=1, le=100, description="Results per page")
    offset: JsonInt = Field(default=0, ge=0, le=1000, description="Results to skip (ignored when page is given)")
    page: OneToHundred | None = Field(default=None, description="1-based page of top_k results")
    filters: SearchFiltersIn | None = None
    mode: Literal["hybrid", "dense", "keyword"] = Field(
        default="hybrid", description="hybrid (default) fuses dense and keyword retrieval; the others are one list"
    )

    @property
    def start(self) -> int:
        return (self.page - 1) * self.top_k if self.page is not None else self.offset


class DocumentRef(BaseModel):
    id: str
    title: str
    source: str = Field(default="", description="The file name it was ingested from")
    version: str = Field(default="", description="Which version of its work the document is: 2022年4月20日修订")
    status: Literal["current", "superseded"] = Field(
        default="current", description="superseded when the library holds a newer version of the same work"
    )


class Highlight(BaseModel):
    start: int
    end: int
    text: str


class SearchResult(BaseModel):
    text: str
    score: float
    passage_id: str
    document: DocumentRef
    section: str
    highlights: list[Highlight]
    rank: int = Field(description="1-based position in the whole ranking (not the page)")
    dense_rank: int | None = Field(default=None, description="Rank in the dense list, when it was there")
    keyword_rank: int | None = Field(default=None, description="Rank in the keyword list, when it voted")
    reference: str | None = Field(
        default=None, description="The article or section the query names that this passage is (ranked first)"
    )


class ReferenceOut(BaseModel):
    """A structural reference the query makes (劳动法第九条, 第二章, 二（一）2) and what it resolved to."""

    text: str = Field(description="As written in the query")
    status: Literal["found", "not_found", "ambiguous"]
    label: str = Field(default="", description="《中华人民共和国劳动法》第九条")
    message: str = Field(default="", description="资料中没有找到… / which documents it may mean")
    document: DocumentRef | None = None
    candidates: list[DocumentRef] = Field(default_factory=list)


class SearchResponse(BaseModel):
    results: list[SearchResult]
    took_ms: float
    total: int = Field(description="Passages in the fused ranking (an upper bound on what paging can reach)")
    offset: int
    top_k: int
    mode: str
    references: list[ReferenceOut] = Field(
        default_factory=list, description="Structural references in the query; found ones are ranked first"
    )


# What any route with a JSON body may answer before the route runs (search_api.request_guard): a body
# that is not UTF-8 (400), one over the size limit (413), one that is not valid (422).
BODY_ERRORS = (400, 413, 422)


def error_responses(*statuses: int) -> dict[int | str, dict[str, object]]:
    """OpenAPI `responses` for the given error statuses, all with the one error body."""
    return {status: {"model": ErrorResponse} for status in statuses}


class RelationWordsOut(BaseModel):
    name: str = Field(description="Labels an edge or a fact: 属于专业类")
    verb: str = Field(description="Joins the two ends in a sentence: A 属于 B")
    outgoing: str = Field(description="What the target is, seen from the source: a programme's 承担单位")
    incoming: str = Field(description="What the source is, seen from the target: a school's 承担 programme")


class Vocabulary(BaseModel):
    """The Chinese names the page shows for the graph's ASCII labels and types, and for ask's kinds."""

    labels: dict[str, str] = Field(description="Node label → name (Organization → 机构)")
    relations: dict[str, RelationWordsOut] = Field(description="Relationship type → its words (IN_CLASS → 属于专业类)")
    properties: dict[str, str] = Field(description="Node property or fact attribute → name (aliases → 别称)")
    organization_kinds: dict[str, str] = Field(description="Organization kind → name (school → 学校)")
    intents: dict[str, str] = Field(description="Ask intent → name (issuer → 发文单位)")
    modes: dict[str, str] = Field(description="Ask answer mode → name (graph → 来自知识图谱)")
    document_statuses: dict[str, str] = Field(
        default_factory=dict, description="Document status → name (superseded → 已被取代)"
    )
    target_kinds: dict[str, str] = Field(default_factory=dict, description="Target kind → name (result → 结果)")
    match_signals: dict[str, str] = Field(
        default_factory=dict, description="Matching signal → name (crosswalk → 专业类与行业对照)"
    )
    match_evidence: dict[str, str] = Field(
        default_factory=dict, description="Matching evidence kind → name (passage → 政策原文)"
    )

    @classmethod
    def current(cls) -> Vocabulary:
        return cls(
            labels=LABEL_NAMES,
            relations={t: RelationWordsOut(**vars(w)) for t, w in RELATIONS.items()},
            properties=PROPERTY_NAMES,
            organization_kinds=ORGANIZATION_KINDS,
            intents=INTENT_NAMES,
            modes=MODE_NAMES,
            document_statuses=DOCUMENT_STATUSES,
            target_kinds=TARGET_KINDS,
            match_signals=SIGNAL_NAMES,
            match_evidence=EVIDENCE_NAMES,
        )
