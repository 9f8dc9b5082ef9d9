"""The Chinese words users see for the graph's ASCII schema: labels, relationship types, properties.

Labels and relationship types stay ASCII in the stores (Neo4j conventions); everything a person reads —
the page's cards and graph view, the answers ask writes — names them through this one table.
"""

from __future__ import annotations

from dataclasses import dataclass

# Keyed by every NodeLabel / RelType / OrganizationKind (tests/graph/test_vocabulary.py checks that).
LABEL_NAMES: dict[str, str] = {
    "Document": "文件",
    "Section": "章节",
    "Passage": "段落",
    "Organization": "机构",
    "Programme": "项目",
    "Target": "目标",
    "Specialty": "专业",
    "SpecialtyClass": "专业类",
    "SpecialtyCategory": "专业大类",
    "Industry": "行业",
    "IndustryChain": "产业链",
    "Region": "地区",
}


@dataclass(frozen=True)
class RelationWords:
    """How one relationship type reads. `name` labels an edge (the graph view, a fact); `verb` joins its
    two ends in a sentence (A 属于 B); `outgoing` / `incoming` say what the other end is to a node on the
    source / target side (a programme's 承担单位; a school's 承担 programme)."""

    name: str
    verb: str
    outgoing: str
    incoming: str


RELATIONS: dict[str, RelationWords] = {
    "HAS_SECTION": RelationWords("包含章节", "包含", "章节", "所属文件"),
    "HAS_PASSAGE": RelationWords("包含段落", "包含", "段落", "所属"),
    "ISSUED_BY": RelationWords("发布单位", "发布", "发布单位", "发布"),
    "MENTIONS": RelationWords("提到", "提到", "提到", "被提到"),
    "SETS_TARGET": RelationWords("设定目标", "设定目标", "目标", "出自"),
    "ASSIGNED_TO": RelationWords("承担", "承担", "承担单位", "承担"),
    "PART_OF": RelationWords("属于", "属于", "属于", "包含"),
    "IN_CLASS": RelationWords("属于专业类", "属于", "专业类", "包含专业"),
    "IN_CATEGORY": RelationWords("属于专业大类", "属于", "专业大类", "包含"),
    "CHILD_OF": RelationWords("属于上级行业", "属于", "上级行业", "下级行业"),
    "MAPS_TO": RelationWords("对应行业", "对应", "对应行业", "对应"),
    "SERVES": RelationWords("服务", "服务", "服务", "服务它的专业"),
    "OFFERS": RelationWords("开设专业", "开设", "开设专业", "开设院校"),
    "LOCATED_IN": RelationWords("位于", "位于", "位于", "包含"),
    # newer version → older version: the newer 取代 the older; the older 被取代 (its 新版本 is the newer).
    "SUPERSEDES": RelationWords("取代", "取代", "旧版本", "新版本"),
}

# Node properties shown on entity cards, and the attributes an answer's facts name (aliases, quantity …).
PROPERTY_NAMES: dict[str, str] = {
    "name": "名称",
    "aliases": "别称",
    "kind": "类型",
    "region": "地区",
    "quantity": "数量",
    "unit": "单位",
    "deadline": "期限",
    "level": "层次",
    "code": "代码",
    "issuers": "发布单位",
    "description": "说明",
    "doc_number": "文号",
    "date": "发布日期",
    "written_date": "成文日期",
    "version_date": "版本日期",
    "status": "效力状态",
    "work": "法规名称",
    "subject": "主题分类",
    "index_no": "索引号",
    "year": "年份",
}

DOCUMENT_STATUSES: dict[str, str] = {"current": "现行有效", "superseded": "已被取代"}
TARGET_KINDS: dict[str, str] = {"target": "目标", "result": "结果"}

ORGANIZATION_KINDS: dict[str, str] = {
    "government": "政府部门",
    "school": "学校",
    "enterprise": "企业",
    "group": "集团",
}


def label_name(label: str) -> str:
    return LABEL_NAMES.get(label, label)


def relation_words(rel_type: str) -> RelationWords:
    """The words for a relationship type; an unknown type (never written by this schema) reads as 关联."""
    return RELATIONS.get(rel_type, _UNKNOWN)


_UNKNOWN = RelationWords("关联", "关联", "关联", "关联")
