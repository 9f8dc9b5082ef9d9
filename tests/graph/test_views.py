"""Typed node views: what each label's properties mean, read tolerantly (logic only, no store)."""

from __future__ import annotations

import pytest

from graph.models import Edge, Entity, Node
from graph.views import (
    Industry,
    IndustryChain,
    IndustryLink,
    Organization,
    Programme,
    Specialty,
    SpecialtyClass,
    Target,
    aliases_of,
    as_document,
    as_passage,
    description_of,
    display_name,
    name_of,
    names_of,
)
from ingest.reference.industries import industry_graph
from ingest.reference.institutions import institution_graph
from ingest.reference.knowledge import chain_graph
from ingest.reference.models import ChainIndustryLink, IndustryTree, Institution
from ingest.reference.models import Industry as IndustryRow
from ingest.reference.models import IndustryChain as ChainRow


def _node(label: str, **props: object) -> Node:
    return Node(id=f"{label.lower()}:1", label=label, properties=props)  # type: ignore[arg-type]


def _as_node(entity: Entity) -> Node:
    """An entity as a store reads it back: its name among the properties, None values dropped."""
    props = {k: v for k, v in entity.properties.items() if v is not None}
    return Node(id=entity.id, label=entity.label, properties={"name": entity.name, **props})


def test_aliases_one_parser_for_every_shape() -> None:
    assert aliases_of({"aliases": ["甲", "乙"]}) == ["甲", "乙"]
    assert aliases_of({"aliases": "甲"}) == ["甲"]  # a single string is one alias
    assert aliases_of({"aliases": ""}) == []
    assert aliases_of({"aliases": None}) == []
    assert aliases_of({}) == []
    node = _node("Programme", name="楚怡工匠学院", aliases=["工匠学院", "楚怡工匠学院", ""])
    assert names_of(node) == ["楚怡工匠学院", "工匠学院"]  # name first, no repeats, no empties
    assert names_of(_node("Programme")) == []


def test_display_names_of_any_label() -> None:
    assert display_name(_node("Organization", name="湖南省教育厅")) == "湖南省教育厅"
    assert display_name(_node("Document", title="行动计划")) == "行动计划"
    assert display_name(_node("Section", heading="一、总体要求")) == "一、总体要求"
    assert display_name(_node("Passage", text="长" * 100)) == "长" * 40
    assert display_name(_node("Target")) == "target:1"
    assert display_name(_node("Organization", name="")) == "organization:1"
    assert name_of(_node("Document", title="行动计划")) == ""
    assert description_of(_node("Programme", description="  集…为一体的基地。 ")) == "集…为一体的基地。"


def test_organization_kinds_and_odd_values() -> None:
    dept = Organization.from_node(_node("Organization", name="湖南省教育厅", kind="government", region="湖南省"))
    assert (dept.kind, dept.region, dept.level, dept.hunan) == ("government", "湖南省", None, False)
    odd = Organization.from_node(_node("Organization", name="某研究会", kind="association", level="博士", hunan="yes"))
    assert odd.kind is None and odd.level is None and odd.hunan is False
    bare = Organization.from_node(_node("Organization"))
    assert bare.name == "" and bare.aliases == [] and bare.kind is None and bare.region is None


def test_organization_from_the_institution_list() -> None:
    school = Institution(
        name="湖南工业职业技术学院",
        code="4143010000",
        authority="湖南省",
        city="长沙市",
        province="湖南省",
        level="专科",
    )
    entities, _ = institution_graph([school])
    org = Organization.from_node(_as_node(next(e for e in entities if e.label == "Organization")))
    assert org.kind == "school" and org.level == "专科" and org.hunan is True
    assert (org.code, org.region, org.province, org.authority) == ("4143010000", "长沙市", "湖南省", "湖南省")


def test_programme() -> None:
    p = Programme.from_node(_node("Programme", name="楚怡文化传承基地", aliases=["楚怡职业教育文化馆"], category=None))
    assert p.aliases == ["楚怡职业教育文化馆"] and p.category is None and p.description == ""


@pytest.mark.parametrize(
    ("quantity", "read"), [(10, 10), (2.5, 2.5), ("14", 14), ("1.5", 1.5), ("十", None), (None, None), (True, None)]
)
def test_target_quantity_is_a_number_or_none(quantity: object, read: object) -> None:
    props = {"quantity": quantity} if quantity is not None else {}
    assert Target.from_node(_node("Target", **props)).quantity == read


def test_target_fields() -> None:
    t = Target.from_node(_node("Target", name="10所学校", quantity=10, unit="所", object="学校", deadline=2025))
    assert (t.unit, t.object, t.deadline, t.text, t.scope, t.verb) == ("所", "学校", "2025", "", "", "")
    assert Target.from_node(_node("Target", deadline="")).deadline is None


def test_specialty_levels() -> None:
    props = {
        "code": "460104",
        "name": "机械制造及自动化",
        "level": "高职专科",
        "class_code": "4601",
        "controlled": True,
    }
    s = Specialty.from_node(_node("Specialty", **props))
    assert (s.code, s.level, s.class_code, s.controlled, s.category_name) == ("460104", "高职专科", "4601", True, "")
    assert Specialty.from_node(_node("Specialty", level="本科")).level is None  # not a catalogue level
    cls = SpecialtyClass.from_node(_node("SpecialtyClass", code="4601", name="机械设计制造类", level="职业本科"))
    assert (cls.level, cls.category_code) == ("职业本科", "")


def test_industry_from_the_gbt_tree() -> None:
    tree = IndustryTree(
        industries=[
            IndustryRow(code="C", name="制造业", level="门类", section="C"),
            IndustryRow(code="35", name="专用设备制造业", level="大类", section="C", parent_code="C"),
        ]
    )
    entities, _ = industry_graph(tree)
    top, division = (Industry.from_node(_as_node(e)) for e in entities)
    assert (top.level, top.parent_code, top.section) == ("门类", None, "C")
    assert (division.code, division.level, division.parent_code) == ("35", "大类", "C")
    assert Industry.from_node(_node("Industry", level="大大类")).level is None


def test_industry_chain_and_its_links() -> None:
    chain = ChainRow(
        name="工程机械", aliases=["工程机械产业链"], description="挖掘机…", products=["挖掘机"], source="note"
    )
    tree = IndustryTree(
        industries=[IndustryRow(code="351", name="采矿冶金建筑专用设备制造", level="中类", section="C")]
    )
    link = ChainIndustryLink(
        chain="工程机械", industry_code="351", industry_name="x", role="核心", reason="主机", source="row"
    )
    entities, relations = chain_graph([chain], [link], tree)
    view = IndustryChain.from_node(_as_node(entities[0]))
    assert (view.aliases, view.products, view.region, view.description) == (
        ["工程机械产业链"],
        ["挖掘机"],
        "湖南省",
        "挖掘机…",
    )
    r = relations[0]
    maps = IndustryLink.from_edge(Edge(source=r.source, target=r.target, type=r.type, properties=r.properties))
    assert maps.role == "核心" and maps.weight > 0 and maps.reason == "主机" and maps.origin == "row"
    odd = IndustryLink.from_edge(Edge(source="a", target="b", type="MAPS_TO", properties={"weight": "heavy"}))
    assert odd.weight == 1.0 and odd.specialties == []


def test_documents_and_passages_read_back() -> None:
    doc = as_document(_node("Document", title="行动计划", issuers=["湖南省教育厅"]))
    assert doc.title == "行动计划" and doc.issuers == ["湖南省教育厅"] and doc.source == "" and doc.date is None
    passage = as_passage(_node("Passage", doc_id="doc:1", text="正文", order="3"))
    assert (passage.doc_id, passage.text, passage.order, passage.section_path) == ("doc:1", "正文", 3, "")
    assert as_passage(_node("Passage")).order == 0


def test_library_fields_read_back_with_defaults() -> None:
    old = as_document(_node("Document", title="行动计划"))  # stored before the library fields existed
    assert old.status == "current" and old.kind is None and old.work is None and old.version_date is None
    law = as_document(_node("Document", title="中华人民共和国职业教育法", kind="法律", work="职业教育法",
                            version_date="1996-05-15", status="superseded", index_no="x"))  # fmt: skip
    assert (law.kind, law.work, law.version_date, law.status, law.index_no) == (
        "法律", "职业教育法", "1996-05-15", "superseded", "x")  # fmt: skip
    odd = as_document(_node("Document", title="t", kind="诗歌", status="draft"))
    assert odd.kind is None and odd.status == "current"
    result = Target.from_node(_node("Target", name="30所", quantity=30, kind="result", year="2022"))
    assert result.kind == "result" and result.year == 2022
    assert Target.from_node(_node("Target", name="10所", quantity=10)).kind == "target"
