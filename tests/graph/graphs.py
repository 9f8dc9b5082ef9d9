"""Small hand-built graphs with known answers, shared by the store tests.

Vectors are 512-d (the Neo4j index dimension) and mostly axis-aligned so the expected dense ranking is
obvious; this tests the stores' logic, not the embedder (the seed tests use the real model).
"""

from __future__ import annotations

import math

from graph.models import Document, DocumentBundle, Entity, Passage, Relation, Section

DIM = 512
ODD = "quote \" apostrophe ' backslash \\ emoji 🎓🚀 newline\nand tab\t<xml & stuff> 湖南"


def vec(*weights: tuple[int, float]) -> list[float]:
    v = [0.0] * DIM
    for i, w in weights:
        v[i] = w
    norm = math.sqrt(sum(x * x for x in v))
    return [x / norm for x in v]


EDU = Entity(
    id="org:edu", label="Organization", name="湖南省教育厅", properties={"aliases": ["省教育厅"], "kind": "government"}
)
FIN = Entity(
    id="org:fin", label="Organization", name="湖南省财政厅", properties={"aliases": ["省财政厅"], "kind": "government"}
)
HNGY = Entity(id="org:hngy", label="Organization", name="湖南工业职业技术学院", properties={"kind": "school"})
BASE = Entity(id="prog:base", label="Programme", name="楚怡文化传承基地")
SCHOOL = Entity(id="prog:school", label="Programme", name="楚怡高水平高职院校")
TARGET = Entity(id="tgt:50", label="Target", name="50所楚怡高水平高职院校", properties={"quantity": 50, "unit": "所"})
REGION = Entity(id="reg:hn", label="Region", name="湖南省")


def plan_a() -> DocumentBundle:
    """Document A: issued by 教育厅 and 财政厅; four passages; programmes and a target."""
    doc = Document(
        id="doc:a",
        title="湖南省职业教育楚怡行动计划",
        issuers=["湖南省教育厅", "湖南省财政厅"],
        source="a.txt",
        sha256="sha-a",
        date="2023-01-01",
    )
    s1 = Section(id="sec:a1", doc_id="doc:a", path="一", heading="一、总体要求", order=0)
    s2 = Section(
        id="sec:a2", doc_id="doc:a", path="二/（一）", heading="（一）建设楚怡高水平高职院校", order=1, level=2
    )
    p = [
        Passage(id="psg:a1", doc_id="doc:a", section_id="sec:a1", section_path="一", order=0,
                text="湖南省教育厅、湖南省财政厅联合印发楚怡行动计划。", embedding=vec((0, 1.0))),
        Passage(id="psg:a2", doc_id="doc:a", section_id="sec:a1", section_path="一", order=1,
                text="建设楚怡文化传承基地，开展湖湘传统文化教育。", embedding=vec((1, 1.0))),
        Passage(id="psg:a3", doc_id="doc:a", section_id="sec:a2", section_path="二/（一）", order=2,
                text="支持湖南工业职业技术学院建设楚怡高水平高职院校。", embedding=vec((2, 1.0))),
        Passage(id="psg:a4", doc_id="doc:a", section_id="sec:a2", section_path="二/（一）/2", order=3,
                text="到2025年建成50所楚怡高水平高职院校，落实住房医疗等待遇。", embedding=vec((3, 1.0))),
    ]  # fmt: skip
    relations = [
        Relation(source="doc:a", target="org:edu", type="ISSUED_BY", evidence="psg:a1"),
        Relation(source="doc:a", target="org:fin", type="ISSUED_BY", evidence="psg:a1"),
        Relation(source="psg:a2", target="prog:base", type="MENTIONS", evidence="psg:a2"),
        Relation(source="psg:a3", target="prog:school", type="MENTIONS", evidence="psg:a3"),
        Relation(source="prog:school", target="org:hngy", type="ASSIGNED_TO", evidence="psg:a3"),
        Relation(source="doc:a", target="tgt:50", type="SETS_TARGET", evidence="psg:a4"),
        Relation(source="prog:school", target="org:edu", type="PART_OF", evidence="psg:a3"),
    ]
    return DocumentBundle(
        document=doc,
        sections=[s1, s2],
        passages=p,
        entities=[EDU, FIN, HNGY, BASE, SCHOOL, TARGET],
        relations=relations,
    )


def plan_b() -> DocumentBundle:
    """Document B: also issued by 教育厅 (a shared entity), with one passage of its own."""
    doc = Document(
        id="doc:b", title="职业院校办学能力提升方案", issuers=["湖南省教育厅"], source="b.txt", sha256="sha-b"
    )
    p = Passage(
        id="psg:b1", doc_id="doc:b", section_path="一", order=0,
        text="湖南省教育厅推动职业院校办学能力提升，含技工院校。", embedding=vec((0, 0.6), (4, 0.8)),
    )  # fmt: skip
    relations = [
        Relation(source="doc:b", target="org:edu", type="ISSUED_BY", evidence="psg:b1"),
        Relation(source="prog:school", target="org:edu", type="PART_OF", evidence="psg:b1"),
    ]
    return DocumentBundle(document=doc, passages=[p], entities=[EDU, SCHOOL], relations=relations)


REFERENCE_ORIGIN = "reference:regions"


def reference() -> tuple[list[Entity], list[Relation]]:
    """Reference data not brought by a document: a region, with schools located in it."""
    return [REGION, HNGY], [
        Relation(source="org:hngy", target="reg:hn", type="LOCATED_IN"),
        Relation(source="org:edu", target="reg:hn", type="LOCATED_IN"),
    ]
