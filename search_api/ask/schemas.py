"""Request and response models of /api/ask and /api/ask/stream."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Intent = Literal["issuer", "carriers", "count", "org_tasks", "alias", "link", "open"]
AnswerMode = Literal["graph", "extractive", "none"]

# What the page calls each kind of question and each way of answering (served by /api/vocabulary).
INTENT_NAMES: dict[str, str] = {
    "issuer": "发文单位",
    "carriers": "承担单位",
    "count": "数量目标",
    "org_tasks": "机构任务",
    "alias": "别称",
    "link": "关联路径",
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

    question: str = Field(min_length=1, max_length=500, pattern=r"\S", examples=["楚怡文化传承基地又叫什么？"])


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


class AskResponse(BaseModel):
    answer: str
    citations: list[Citation]
    facts: list[Fact]
    intent: Intent
    mode: AnswerMode
    entities: list[NodeRef] = Field(default_factory=list, description="Entities recognised in the question")
    phrased_by: Literal["template", "llm"] = "template"
    took_ms: float = 0.0
