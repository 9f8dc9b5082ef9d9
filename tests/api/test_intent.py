"""Question kinds from wording and linked entities (logic only: nodes are built here, no store)."""

from __future__ import annotations

import pytest

from graph.models import Node
from search_api.ask.intent import asks_yes_no, classify, unit_asked
from search_api.ask.linking import Mention, squash

SCHOOL = Node(id="org:s", label="Organization", properties={"name": "湘潭技师学院", "kind": "school"})
DEPT = Node(id="org:d", label="Organization", properties={"name": "湖南省人力资源和社会保障厅", "kind": "government"})
PROG = Node(id="prog:p", label="Programme", properties={"name": "楚怡工匠学院", "aliases": ["工匠学院"]})
PROG2 = Node(id="prog:q", label="Programme", properties={"name": "楚怡职教集团"})


def _mentions(question: str, *nodes: Node) -> list[Mention]:
    out = []
    q = squash(question)
    for n in nodes:
        for name in [n.properties["name"], *n.properties.get("aliases", [])]:  # type: ignore[misc]
            at = q.find(squash(str(name)))
            if at >= 0:
                out.append(Mention(node=n, surface=str(name), start=at, end=at + len(squash(str(name)))))
                break
    return out


@pytest.mark.parametrize(
    ("question", "nodes", "intent"),
    [
        ("楚怡工匠学院又称什么？", (PROG,), "alias"),
        ("工匠学院的全称是什么", (PROG,), "alias"),
        ("湘潭技师学院和楚怡职教集团是什么关系？", (SCHOOL, PROG2), "link"),
        ("楚怡工匠学院与楚怡职教集团之间有何联系", (PROG, PROG2), "link"),
        ("这个方案是哪些单位印发的？", (), "issuer"),
        ("湖南省人力资源和社会保障厅是发文单位吗", (DEPT,), "issuer"),
        ("谁制定了这份计划", (), "issuer"),
        ("要培育多少个楚怡职教集团？", (PROG2,), "count"),
        ("计划建设几所技师学院", (), "count"),
        ("哪些院校承担楚怡工匠学院建设", (PROG,), "carriers"),
        ("楚怡工匠学院由谁建设？", (PROG,), "carriers"),
        ("湘潭技师学院要承担什么任务？", (SCHOOL,), "org_tasks"),
        ("湖南省人力资源和社会保障厅负责哪些工作", (DEPT,), "org_tasks"),
        ("职业教育的吸引力怎样提升", (), "open"),
        ("楚怡工匠学院", (PROG,), "open"),
    ],
)
def test_classify(question: str, nodes: tuple[Node, ...], intent: str) -> None:
    assert classify(question, _mentions(question, *nodes)) == intent


def test_yes_no_and_units() -> None:
    assert asks_yes_no("湖南省教育厅参与发布了吗？")
    assert asks_yes_no("是否包含技工院校")
    assert not asks_yes_no("哪些部门发布了文件？")
    assert unit_asked("有几所？") == "所"
    assert unit_asked("建设多少个基地") == "个"
    assert unit_asked("规模如何") is None
