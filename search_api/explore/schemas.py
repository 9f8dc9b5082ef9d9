"""Request and response models of the entity, graph, Cypher and stats endpoints."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from graph.models import PropertyValue


class NodeOut(BaseModel):
    id: str
    label: str
    name: str
    label_zh: str = Field(default="", description="The label in Chinese (GET /api/vocabulary): Organization → 机构")
    properties: dict[str, PropertyValue] = Field(default_factory=dict)


class EvidenceOut(BaseModel):
    passage_id: str
    text: str
    document_title: str


class RelationOut(BaseModel):
    type: str
    type_zh: str = Field(default="", description="The relationship type in Chinese (GET /api/vocabulary)")
    direction: Literal["out", "in"]
    other: NodeOut
    properties: dict[str, PropertyValue] = Field(default_factory=dict)
    evidence: list[EvidenceOut] = Field(default_factory=list)


class EntityList(BaseModel):
    results: list[NodeOut]


class EntityDetail(BaseModel):
    entity: NodeOut
    relations: list[RelationOut]
    relation_counts: dict[str, int] = Field(
        default_factory=dict, description="Relationships by type, including structural ones not listed"
    )


class EdgeOut(BaseModel):
    source: str
    target: str
    type: str
    type_zh: str = Field(default="", description="The relationship type in Chinese: IN_CLASS → 属于专业类")
    evidence: list[str] = Field(default_factory=list)
    properties: dict[str, PropertyValue] = Field(default_factory=dict)


class SubgraphOut(BaseModel):
    center: str
    nodes: list[NodeOut]
    edges: list[EdgeOut]


class PathOut(BaseModel):
    length: int
    nodes: list[NodeOut]
    edges: list[EdgeOut]


class PathsOut(BaseModel):
    source: NodeOut
    target: NodeOut
    paths: list[PathOut]


class CypherRequest(BaseModel):
    model_config = {
        "json_schema_extra": {
            "examples": [
                {"query": "MATCH (p:Programme)-[:ASSIGNED_TO]->(o:Organization) RETURN p.name, o.name LIMIT 10"},
                {"query": "MATCH (d:Document) WHERE d.title CONTAINS $q RETURN d.title", "params": {"q": "楚怡"}},
            ]
        }
    }

    query: str = Field(min_length=1, max_length=5000)
    params: dict[str, PropertyValue] = Field(default_factory=dict)


class CypherResponse(BaseModel):
    rows: list[dict[str, object]]
    count: int


class StatsOut(BaseModel):
    store: str
    documents: int
    nodes: dict[str, int]
    relationships: dict[str, int]
    node_total: int
    relationship_total: int
