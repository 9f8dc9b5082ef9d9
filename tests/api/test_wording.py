"""The sentences graph answers are made of name relationships in Chinese, never by their ASCII type
(logic only: nodes and paths are built here, no store)."""

from __future__ import annotations

import re
from typing import get_args

import pytest

from graph.models import Edge, GraphPath, Node, RelType
from graph.views import Target
from search_api.ask.answers import wording

_ASCII_TYPE = re.compile(r"[A-Z]{2,}(?:_[A-Z]+)*")
A = Node(id="a", label="Specialty", properties={"name": "机械制造及自动化"})
B = Node(id="b", label="SpecialtyClass", properties={"name": "机械设计制造类"})
C = Node(id="c", label="Industry", properties={"name": "专用设备制造业"})


@pytest.mark.parametrize("rel_type", get_args(RelType))
def test_every_relationship_type_reads_in_chinese(rel_type: str) -> None:
    one_hop = GraphPath(nodes=[A, B], edges=[Edge(source="a", target="b", type=rel_type)])  # type: ignore[arg-type]
    shared = GraphPath(
        nodes=[A, B, C],
        edges=[Edge(source="a", target="b", type=rel_type), Edge(source="c", target="b", type=rel_type)],  # type: ignore[arg-type]
    )
    for path in (one_hop, shared):
        sentence = wording.link("甲", "乙", [wording.describe_path(path)])
        assert not _ASCII_TYPE.search(sentence), sentence
        assert "机械设计制造类" in sentence


def test_path_wording_keeps_its_special_cases() -> None:
    school = Node(id="s", label="Organization", properties={"name": "新化县楚怡工业学校"})
    programme = Node(id="p", label="Programme", properties={"name": "楚怡文化传承基地"})
    other = Node(id="o", label="Organization", properties={"name": "湖南工业职业技术学院"})
    both = GraphPath(
        nodes=[school, programme, other],
        edges=[Edge(source="p", target="s", type="ASSIGNED_TO"), Edge(source="p", target="o", type="ASSIGNED_TO")],
    )
    assert wording.describe_path(both) == "二者都承担「楚怡文化传承基地」的建设"
    in_class = GraphPath(nodes=[A, B], edges=[Edge(source="a", target="b", type="IN_CLASS")])
    assert wording.describe_path(in_class) == "机械制造及自动化属于机械设计制造类"


def test_issuer_and_target_sentences() -> None:
    issued = wording.issued_by("计划", ["甲厅", "乙厅"], counted=True, lead=True)
    assert issued == "共2个发布单位：《计划》由甲厅、乙厅联合发布。落款列首位的是甲厅。"
    assert wording.issued_by("计划", ["甲厅"], counted=False, lead=True) == "《计划》由甲厅发布。"
    target = Target(id="t", name="10所学校", quantity=10, unit="所", text="遴选建设10所学校。", deadline="2025年")
    assert wording.describe_target(target) == "10 所：遴选建设10所学校（期限：2025年）。"
    assert wording.quantity_value(target) == "10所"
