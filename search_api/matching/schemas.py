"""Request and response models of the matching API (/api/match/*)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator

SpecialtyLevelIn = Literal["中职", "高职专科", "职业本科"]


class MatchEvidence(BaseModel):
    """One reason behind a score, with what it rests on."""

    kind: Literal["crosswalk", "chain", "similarity", "lexical", "passage"]
    text: str
    ref: str | None = Field(default=None, description="Crosswalk row, industry code or passage id")
    value: float | None = None


class Signals(BaseModel):
    """The signals a score combines, each in [0, 1] (weights: search_api/matching/signals.py)."""

    crosswalk: float
    name: float
    industry: float = 0.0
    description: float = 0.0
    lexical: float
    evidence: float


class MatchResult(BaseModel):
    code: str
    name: str
    level: str = Field(description="专业: 中职/高职专科/职业本科; 行业: 门类/大类/中类/小类; 产业链: 产业链")
    score: float
    why: str = Field(description="The evidence in one line: crosswalk row, similarity, passages")
    kind: Literal["specialty", "industry", "chain"]
    id: str
    rank: int
    category: str | None = Field(default=None, description="专业类 / 专业大类 of a 专业, or the 行业 path")
    evidence: list[MatchEvidence] = Field(default_factory=list)
    signals: Signals


class ResolvedTarget(BaseModel):
    kind: Literal["chain", "industry", "text", "specialty"]
    id: str | None = None
    name: str
    code: str | None = None
    industries: list[str] = Field(default_factory=list, description="GB/T codes the query was mapped onto")


class MatchSpecialtiesRequest(BaseModel):
    model_config = {"json_schema_extra": {"examples": [{"industry": "工程机械", "level": "高职专科", "top_k": 10}]}}

    industry: str = Field(
        min_length=1,
        max_length=100,
        description="An industry chain, a GB/T 4754 name or code, "
        "or plain words (工程机械, 新能源汽车, C36, 汽车制造业, 无人机)",
    )
    level: SpecialtyLevelIn | None = Field(default=None, description="Only 专业 of this level (default: all three)")
    top_k: int = Field(default=10, ge=1, le=100)


class MatchIndustriesRequest(BaseModel):
    model_config = {"json_schema_extra": {"examples": [{"specialty": "液压与气动技术", "top_k": 10}]}}

    specialty: str = Field(min_length=1, max_length=100, description="A 专业 name or code (460309)")
    level: SpecialtyLevelIn | None = Field(
        default=None, description="Which level's 专业 when the name exists at several"
    )
    top_k: int = Field(default=10, ge=1, le=100)
    kinds: list[Literal["industry", "chain"]] = Field(default=["industry", "chain"], min_length=1)
    industry_level: Literal["门类", "大类", "中类", "小类"] | None = Field(
        default=None, description="Only 行业 of this level"
    )


class MatchResponse(BaseModel):
    query: str
    target: ResolvedTarget
    results: list[MatchResult]
    took_ms: float


class GapRequest(BaseModel):
    """A school's offerings (from the graph's OFFERS edges and/or given here) against an industry or chain."""

    model_config = {
        "json_schema_extra": {
            "examples": [{"industry": "工程机械", "offerings": ["机械制造及自动化", "数控技术"], "level": "高职专科"}],
            # What _needs_offerings checks, said in the schema too (clients and fuzzers read it there).
            "anyOf": [
                {"required": ["school"], "properties": {"school": {"type": "string", "minLength": 1}}},
                {"required": ["offerings"], "properties": {"offerings": {"type": "array", "minItems": 1}}},
            ],
        }
    }

    industry: str = Field(min_length=1, max_length=100)
    school: str | None = Field(default=None, max_length=100, description="School name or node id")
    offerings: list[str] = Field(default_factory=list, max_length=500, description="专业 names or codes it offers")
    level: SpecialtyLevelIn | None = Field(default=None, description="Default: from the school (专科 → 高职专科)")
    top_k: int = Field(default=15, ge=1, le=100, description="How many of the chain's best-matching 专业 count")

    @model_validator(mode="after")
    def _needs_offerings(self) -> GapRequest:
        if not self.school and not self.offerings:
            raise ValueError("give a school, offerings, or both")
        return self


class GapResponse(BaseModel):
    industry: ResolvedTarget
    school: str | None
    level: str
    offered: list[str] = Field(description="The school's 专业 at this level (names)")
    unknown_offerings: list[str] = Field(default_factory=list, description="Given offerings not in the catalogue")
    covered: list[MatchResult] = Field(description="Relevant 专业 the school offers")
    missing: list[MatchResult] = Field(description="Relevant 专业 the school lacks, best first")
    coverage: float = Field(description="covered / relevant, by count")
    took_ms: float
