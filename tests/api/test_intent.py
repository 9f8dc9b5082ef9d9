"""Question kinds from wording and linked entities (logic only: nodes are built here, no store)."""

from __future__ import annotations

import pytest

from graph.models import Node
from search_api.ask.intent import asks_definition, asks_yes_no, classify, unit_asked
from search_api.ask.linking import LinkedName, squash

SCHOOL = Node(id="org:s", label="Organization", properties={"name": "湘潭技师学院", "kind": "school"})
DEPT = Node(id="org:d", label="Organization", properties={"name": "湖南省人力资源和社会保障厅", "kind": "government"})
PROG = Node(id="prog:p", label="Programme", properties={"name": "楚怡工匠学院", "aliases": ["工匠学院"]})
PROG2 = Node(id="prog:q", label="Programme", properties={"name": "楚怡职教集团"})
REGION = Node(id="region:h", label="Region", properties={"name": "湖南省", "aliases": ["湘"]})
FIRM = Node(id="org:f", label="Organization", properties={"name": "三一集团", "kind": "enterprise"})
ODD = Node(id="org:o", label="Organization", properties={"name": "长沙某研究会"})  # no kind at all


def _mentions(question: str, *nodes: Node) -> list[LinkedName]:
    out = []
    q = squash(question)
    for n in nodes:
        for name in [n.properties["name"], *n.properties.get("aliases", [])]:  # type: ignore[misc]
            at = q.find(squash(str(name)))
            if at >= 0:
                out.append(LinkedName(node=n, surface=str(name), start=at, end=at + len(squash(str(name)))))
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
def test_classify_examples(question: str, nodes: tuple[Node, ...], intent: str) -> None:
    assert classify(question, _mentions(question, *nodes)) == intent


def test_yes_no_and_units() -> None:
    assert asks_yes_no("湖南省教育厅参与发布了吗？")
    assert asks_yes_no("是否包含技工院校")
    assert not asks_yes_no("哪些部门发布了文件？")
    assert unit_asked("有几所？") == "所"
    assert unit_asked("建设多少个基地") == "个"
    assert unit_asked("规模如何") is None


# Each kind, reached by each of its rules, and the near misses that must not reach it.
@pytest.mark.parametrize(
    ("question", "nodes", "intent"),
    [
        # alias: an alias word with a named entity, or "X是什么" asked by an alias
        ("楚怡工匠学院简称什么", (PROG,), "alias"),
        ("工匠学院是什么？", (PROG,), "alias"),
        ("楚怡工匠学院是什么？", (PROG,), "open"),  # asked by its own name: a definition, not an alias
        ("这个基地又叫什么", (), "open"),  # no entity to name
        ("湖南省又称什么", (REGION,), "open"),  # regions are not asked about by alias
        # link: two entities and a relation word
        ("三一集团与湘潭技师学院有什么关联", (FIRM, SCHOOL), "link"),
        ("楚怡工匠学院和湖南省有什么关系", (PROG, REGION), "open"),  # a region does not count as the second
        # issuer: an issuer noun, a document lead word, or an issuing verb with a question word
        ("发文机关有几个", (), "issuer"),  # the issuer noun wins over counting
        ("这个计划由哪个部门牵头", (), "issuer"),
        ("文件是否由湖南省人力资源和社会保障厅印发", (DEPT,), "issuer"),
        ("去年发布了新的政策措施", (), "open"),  # an issuing verb without a question word
        ("楚怡工匠学院由谁牵头建设", (PROG,), "carriers"),  # 牵头 without a document word: a project lead
        # count: a count word with a measure word
        ("支持建设多少个特色专业群", (), "count"),
        ("几乎所有学校都参与了", (), "open"),  # 几 without a measure word
        # carriers: a programme and a which-organisation question, unless a school/firm is the one asking
        ("湖南省人力资源和社会保障厅支持哪些学校建设楚怡工匠学院", (DEPT, PROG), "carriers"),
        ("湘潭技师学院和哪些学校共建楚怡工匠学院", (SCHOOL, PROG), "org_tasks"),
        ("长沙某研究会参与哪些院校的楚怡工匠学院", (ODD, PROG), "org_tasks"),  # unknown kind: not a department
        ("楚怡工匠学院在哪里", (PROG,), "open"),
        # org_tasks: an organisation and a task word
        ("三一集团被支持做什么", (FIRM,), "org_tasks"),
        ("湘潭技师学院在哪里", (SCHOOL,), "open"),  # no task word
        # open: nothing the graph answers
        ("怎样申请技能补贴", (), "open"),
        ("湖南省的职业教育", (REGION,), "open"),
    ],
)
def test_classify_each_kind_and_near_misses(question: str, nodes: tuple[Node, ...], intent: str) -> None:
    assert classify(question, _mentions(question, *nodes)) == intent


def test_definition_questions() -> None:
    assert asks_definition("楚怡工匠学院是什么？")
    assert asks_definition("什么是楚怡工匠学院")
    assert not asks_definition("楚怡工匠学院由谁建设")


def test_more_units() -> None:
    assert unit_asked("建设几个基地") == "个"
    assert unit_asked("培育多少家企业") == "家"
    assert unit_asked("多少") is None
