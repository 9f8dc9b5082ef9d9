"""Request and response models of /api/ask and /api/ask/stream."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field

from search_api import question_text

Intent = Literal["issuer", "carriers", "count", "org_tasks", "alias", "link", "reference", "document", "match", "open"]
AnswerMode = Literal["graph", "extractive", "none"]

# What the page calls each kind of question and each way of answering (served by /api/vocabulary).
INTENT_NAMES: dict[str, str] = {
    "issuer": "发文单位",
    "carriers": "承担单位",
    "count": "数量目标",
    "org_tasks": "机构任务",
    "alias": "别称",
    "link": "关联路径",
    "reference": "条文引用",
    "document": "指明文件",
    "match": "专业与产业对接",
    "open": "原文摘录",
}
MODE_NAMES: dict[str, str] = {"graph": "来自知识图谱", "extractive": "摘自原文", "none": "未找到"}


class AskRequest(BaseModel):
    model_config = {
        "json_schema_extra": {
            "examples": [
                {"question": "新化县楚怡工业学校被支持建设什么？"},
                {"question": "全省遴选建设的楚怡高水平高职院校有几所？"},
                {"question": "湖南省教育厅参与发布了这份文件吗？"},
            ]
        }
    }

    question: Annotated[str, AfterValidator(question_text.question)] = Field(
        json_schema_extra=question_text.schema(),
        examples=["楚怡文化传承基地又叫什么？"],
        description=f"The question (1–{question_text.MAX_QUESTION_CHARS} characters; an empty or longer one is "
        "refused with a Chinese message, never cut)",
    )
    document: str | None = Field(
        default=None,
        max_length=200,
        description="Id of the document the question is about (“这份文件”, 本法 and a bare 第三条 mean it)",
    )


class NodeRef(BaseModel):
    """A graph node an answer names: an entity of the question, or a fact's subject or object."""

    id: str
    label: str
    name: str


class Fact(BaseModel):
    """One graph fact an answer rests on: a relationship (object set) or an attribute (value set)."""

    subject: NodeRef
    predicate: str = Field(
        description="Relationship type (ISSUED_BY, ASSIGNED_TO …) or attribute name (aliases …); "
        "their Chinese names are in GET /api/vocabulary"
    )
    object: NodeRef | None = None
    value: str | None = None
    evidence: list[str] = Field(default_factory=list, description="Passage ids the fact was read from")


class Citation(BaseModel):
    passage_id: str
    text: str
    document_title: str
    document_id: str = ""
    section: str = ""
    document_version: str = Field(default="", description="Which version of its work: 2022年4月20日修订")
    document_status: Literal["current", "superseded"] = "current"


class DocumentCandidate(BaseModel):
    """A document a question may mean, offered when its wording does not say which."""

    id: str
    title: str
    version: str = ""
    status: Literal["current", "superseded"] = "current"
    issuers: list[str] = Field(default_factory=list)


class MatchLink(BaseModel):
    """Where the page's matching view shows the ranking an answer was read from."""

    view: Literal["match"] = "match"
    direction: Literal["specialties", "industries"] = Field(
        description="specialties: the 专业 an industry or chain needs (POST /api/match/specialties); "
        "industries: the industries and chains a 专业 serves (POST /api/match/industries)"
    )
    query: str = Field(description="The chain, industry or 专业 as matching resolved it: 工程机械, 数控技术")
    level: str | None = Field(default=None, description="中职 / 高职专科 / 职业本科 when the question names one")


class AskResponse(BaseModel):
    answer: str
    citations: list[Citation]
    facts: list[Fact]
    intent: Intent
    mode: AnswerMode
    entities: list[NodeRef] = Field(default_factory=list, description="Entities recognised in the question")
    phrased_by: Literal["template", "llm"] = "template"
    related: list[Citation] = Field(
        default_factory=list,
        description="When nothing answers the question (mode none): the nearest passages, possibly related",
    )
    candidates: list[DocumentCandidate] = Field(
        default_factory=list, description="The documents the question may mean, when it does not say which"
    )
    document: DocumentCandidate | None = Field(default=None, description="The document the answer is about")
    link: MatchLink | None = Field(
        default=None,
        description="intent match (工程机械产业链需要哪些专业？ 数控技术对应哪些产业？): the matching view that shows "
        "the whole ranking",
    )
    took_ms: float = 0.0


# The stream's events and what each one's data (JSON) holds, for the OpenAPI description of GET /api/ask/stream.
SSE_EVENTS = {
    "meta": "JSON object: intent, mode, entities, phrased_by, document, candidates, link (fields of AskResponse)",
    "delta": 'JSON object {"text": str}: a piece of the answer (with no LLM: the whole answer, once)',
    "citations": "JSON array of Citation: the passages the answer cites",
    "facts": "JSON array of Fact: the graph facts it rests on",
    "related": "JSON array of Citation: only when nothing answers (mode none), the nearest passages",
    "done": "JSON object AskResponse: the whole answer, last",
    "error": 'JSON object {"error": {"code", "message"}}: instead of the rest, when answering fails mid-stream',
}
SSE_SCHEMA: dict[str, object] = {
    "schema": {
        "description": "Server-sent events (`event: NAME` / `data: JSON` / blank line), in the order meta, delta, "
        "citations, facts, related, done — or one error event:\n"
        + "\n".join(f"- `{name}`: {data}" for name, data in SSE_EVENTS.items()),
        "oneOf": [
            {
                "type": "object",
                "required": ["event", "data"],
                "properties": {
                    "event": {"const": name},
                    "data": {"type": "string", "contentMediaType": "application/json", "description": data},
                },
            }
            for name, data in SSE_EVENTS.items()
        ],
    },
}

