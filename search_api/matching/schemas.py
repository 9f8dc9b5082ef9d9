"""Request and response models of the matching API (/api/match/*)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, JsonValue, model_validator

from search_api.json_types import JsonInt, OneToHundred

SpecialtyLevelIn = Literal["中职", "高职专科", "职业本科"]


EvidenceKind = Literal["crosswalk", "chain", "similarity", "lexical", "passage"]
SignalName = Literal["crosswalk", "name", "industry", "description", "lexical", "evidence"]

# The Chinese names the page shows for the evidence kinds and the signals (served by /api/vocabulary).
EVIDENCE_NAMES: dict[str, str] = {
    "crosswalk": "专业目录对照表",
    "chain": "产业链排名",
    "similarity": "名称语义相近",
    "lexical": "名称直接包含",
    "passage": "政策原文",
}
SIGNAL_NAMES: dict[str, str] = {
    "crosswalk": "专业类与行业对照",
    "name": "名称语义相近",
    "industry": "与行业名称相近",
    "description": "与产业链产品相近",
    "lexical": "名称直接包含",
    "evidence": "政策原文同时提到",
}


class CrosswalkRow(BaseModel):
    """The row of our 专业类 ↔ 行业 crosswalk (corpora/knowledge/specialty_class_crosswalk.csv) a score rests on."""

    class_name: str = Field(description="专业类: 自动化类")
    class_code: str = Field(description="专业类代码: 4603")
    industry_code: str = Field(description="The GB/T 4754 code the row names: 3514")
    industry_name: str
    role: str = Field(description="主要 / 相关: how central the industry is to the class")
    reason: str = Field(description="Why the row holds, in our reviewers' words")
    via_code: str = Field(description="The code of the other side the row met (the chain's or the query's)")
    via_name: str
    direct: bool = Field(description="The row names the other side's code itself (not a broader or sibling code)")


class MatchEvidence(BaseModel):
    """One reason behind a score, with what it rests on."""

    kind: EvidenceKind
    label: str = Field(default="", description="The kind in Chinese (EVIDENCE_NAMES): 专业目录对照表, 政策原文 …")
    text: str = Field(description="What the evidence says; for a passage, the passage's text (up to 300 characters)")
    ref: str | None = Field(default=None, description="Crosswalk row, industry code or passage id")
    value: float | None = None
    row: CrosswalkRow | None = Field(default=None, description="kind crosswalk: the row itself")
    passage_id: str | None = Field(default=None, description="kind passage: the cited passage")
    title: str | None = Field(default=None, description="kind passage: the title of its document")
    section: str | None = Field(default=None, description="kind passage: its section path")


class SignalOut(BaseModel):
    """One signal of a score, named in Chinese, with its weight in this direction."""

    signal: SignalName
    label: str = Field(description="SIGNAL_NAMES: 专业类与行业对照, 名称语义相近 …")
    value: float = Field(description="The signal in [0, 1]")
    weight: float = Field(description="Its weight in the score (search_api/matching/signals.py)")


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
    reason: str = Field(
        default="",
        description="Why, in one line of plain Chinese for a school's director (no scores, no codes): "
        "工程机械产业链的建筑工程用机械制造环节需要，专业目录对照表直接对应",
    )
    why: str = Field(description="The evidence in one technical line: crosswalk row, similarity, passages")
    kind: Literal["specialty", "industry", "chain"]
    id: str
    rank: int
    category: str | None = Field(default=None, description="专业类 / 专业大类 of a 专业, or the 行业 path")
    evidence: list[MatchEvidence] = Field(default_factory=list)
    signals: Signals
    signal_list: list[SignalOut] = Field(default_factory=list, description="The signals named in Chinese, with weights")
    part: str | None = Field(
        default=None, description="For a compound query (现代种业与粮食生产): the part this result matched best"
    )
    parts: list[str] = Field(default_factory=list, description="For a compound query: every part it matched")


class ResolvedTarget(BaseModel):
    kind: Literal["chain", "industry", "text", "specialty", "compound"]
    id: str | None = None
    name: str
    code: str | None = None
    industries: list[str] = Field(default_factory=list, description="GB/T codes the query was mapped onto")
    parts: list[ResolvedTarget] = Field(
        default_factory=list, description="kind compound: each part (A与B, A和B, A及B) as it resolved"
    )


_WORDS = "An industry chain, a GB/T 4754 name or code, or plain words (工程机械, 新能源汽车, C36, 汽车制造业, 无人机)"
# What a validator checks, said in the schema too (clients and fuzzers read it there).
_ONE_OF_INDUSTRY: list[JsonValue] = [
    {"required": [name], "properties": {name: {"type": "string", "minLength": 1}}}
    for name in ("industry", "chain", "product", "code")
]


class IndustryWords(BaseModel):
    """The industry side of a request: `industry`, or the same words under the name the page's picker uses
    (`chain`, `product`, `code`); the first one given counts."""

    industry: str | None = Field(default=None, min_length=1, max_length=100, description=_WORDS)
    chain: str | None = Field(default=None, min_length=1, max_length=100, description="A chain's name (as industry)")
    product: str | None = Field(default=None, min_length=1, max_length=100, description="A product (as industry)")
    code: str | None = Field(default=None, min_length=1, max_length=100, description="A GB/T code (as industry)")

    @property
    def words(self) -> str:
        for value in (self.industry, self.chain, self.product, self.code):
            if value is not None and value.strip():
                return value
        raise ValueError("give industry, chain, product or code")  # unreachable after validation

    @model_validator(mode="after")
    def _needs_words(self) -> IndustryWords:
        if not any(v is not None and v.strip() for v in (self.industry, self.chain, self.product, self.code)):
            raise ValueError("请给出产业链、行业、产品或行业代码（industry / chain / product / code）")
        return self


class MatchSpecialtiesRequest(IndustryWords):
    model_config = {
        "json_schema_extra": {
            "examples": [{"industry": "工程机械", "level": "高职专科", "top_k": 10}],
            "anyOf": _ONE_OF_INDUSTRY,
        }
    }

    level: SpecialtyLevelIn | None = Field(default=None, description="Only 专业 of this level (default: all three)")
    school: str | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        description="A school: its level (from the institutions list) is used when `level` is not given",
    )
    top_k: JsonInt = Field(default=10, ge=1, le=100)
    k: OneToHundred | None = Field(default=None, description="The same as top_k (wins when given)")

    @property
    def limit(self) -> int:
        return self.k or self.top_k


class MatchIndustriesRequest(BaseModel):
    model_config = {"json_schema_extra": {"examples": [{"specialty": "液压与气动技术", "top_k": 10}]}}

    specialty: str = Field(min_length=1, max_length=100, description="A 专业 name or code (460309)")
    level: SpecialtyLevelIn | None = Field(
        default=None, description="Which level's 专业 when the name exists at several"
    )
    top_k: JsonInt = Field(default=10, ge=1, le=100)
    k: OneToHundred | None = Field(default=None, description="The same as top_k (wins when given)")
    kinds: list[Literal["industry", "chain"]] = Field(default=["industry", "chain"], min_length=1)
    industry_level: Literal["门类", "大类", "中类", "小类"] | None = Field(
        default=None, description="Only 行业 of this level"
    )

    @property
    def limit(self) -> int:
        return self.k or self.top_k


class MatchResponse(BaseModel):
    query: str
    target: ResolvedTarget
    results: list[MatchResult]
    took_ms: float


class GapRequest(IndustryWords):
    """A school's offerings (from the graph's OFFERS edges and/or given here) against an industry or chain."""

    model_config = {
        "json_schema_extra": {
            "examples": [
                {"chain": "工程机械", "school": "湖南工业职业技术学院", "offerings": ["机械制造及自动化", "数控技术"]},
                {"industry": "工程机械", "offerings": ["机械制造及自动化", "数控技术"], "level": "高职专科"},
            ],
            "allOf": [
                {"anyOf": _ONE_OF_INDUSTRY},
                {
                    "anyOf": [
                        {"required": ["school"], "properties": {"school": {"type": "string", "minLength": 1}}},
                        {"required": ["offerings"], "properties": {"offerings": {"type": "array", "minItems": 1}}},
                    ]
                },
            ],
        }
    }

    school: str | None = Field(default=None, max_length=100, description="School name or node id")
    offerings: list[str] = Field(default_factory=list, max_length=500, description="专业 names or codes it offers")
    level: SpecialtyLevelIn | None = Field(
        default=None,
        description="Default: the school's, from the institutions list (专科 → 高职专科; a vocational "
        "school not on the list of higher-education institutions → 中职)",
    )
    top_k: JsonInt = Field(default=15, ge=1, le=100, description="How many of the chain's best-matching 专业 count")

    @model_validator(mode="after")
    def _needs_offerings(self) -> GapRequest:
        if not self.school and not self.offerings:
            raise ValueError("give a school, offerings, or both")
        return self


class GapResponse(BaseModel):
    industry: ResolvedTarget
    school: str | None
    level: str
    level_source: Literal["request", "institutions", "name", "default"] = Field(
        default="request",
        description="Where the level came from: the request; the institutions list (办学层次); the school's "
        "name (a vocational school not on the list of higher-education institutions is 中职); the default",
    )
    school_info: SchoolOut | None = Field(default=None, description="The school as the institutions list has it")
    offered: list[str] = Field(description="The school's 专业 at this level (names)")
    unknown_offerings: list[str] = Field(default_factory=list, description="Given offerings not in the catalogue")
    covered: list[MatchResult] = Field(description="Relevant 专业 the school offers")
    missing: list[MatchResult] = Field(description="Relevant 专业 the school lacks, best first")
    coverage: float = Field(description="covered / relevant, by count")
    took_ms: float


class SchoolOut(BaseModel):
    """A school for the gap view's picker: its matching level and region."""

    name: str
    id: str | None = Field(default=None, description="Its node id in the graph, when the graph holds it")
    level: SpecialtyLevelIn | None = Field(description="The level its 专业 are matched at (中职/高职专科/职业本科)")
    school_level: str | None = Field(default=None, description="办学层次 in the institutions list: 本科 / 专科")
    region: str | None = Field(default=None, description="City (institutions list) or region named in policy text")
    province: str | None = None
    kind: str = Field(default="school", description="Organization kind (school)")
    source: Literal["institutions", "graph"] = Field(
        description="institutions: the MoE list of higher-education institutions; graph: named in a policy text"
    )


class SchoolList(BaseModel):
    schools: list[SchoolOut]
    count: int


class ChainOut(BaseModel):
    id: str
    name: str
    aliases: list[str] = Field(default_factory=list)
    region: str | None = None


class ChainList(BaseModel):
    chains: list[ChainOut]
    count: int
