"""Request and response models of the HTTP API (the contract in DESIGN.md)."""

from __future__ import annotations

from pydantic import BaseModel, Field


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


class SearchFiltersIn(BaseModel):
    documents: list[str] | None = Field(default=None, description="Document ids to search within")


class SearchRequest(BaseModel):
    query: str = Field(min_length=1, max_length=500, examples=["给紧缺技能人才的住房优惠"])
    top_k: int = Field(default=10, ge=1, le=100)
    filters: SearchFiltersIn | None = None


class DocumentRef(BaseModel):
    id: str
    title: str


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


class SearchResponse(BaseModel):
    results: list[SearchResult]
    took_ms: float
