"""Extraction gold tests on the seed, and on a 楚怡-style document the rules were not written against."""

from __future__ import annotations

from pathlib import Path

from graph.models import stable_id
from ingest.bundle import BuiltDocument, DocumentBuilder
from ingest.extraction import org_id, programme_id, region_id
from ingest.loaders import load_file
from tests.ingest.conftest import UNSEEN

SEED_ISSUERS = [
    "湖南省发展和改革委员会", "湖南省教育厅", "湖南省司法厅", "湖南省卫生健康委员会", "湖南省市场监督管理局",
]  # fmt: skip
# Every quantitative target the seed states: (quantity, unit, object).
SEED_TARGETS = {
    (20, "个", "楚怡文化传承基地"),
    (3, "所", "楚怡高水平职业本科学校"),  # the seed garbles it as 高水平职业科学校
    (10, "所", "楚怡高水平高职院校"),
    (1, "所", "公办中等职业学校"),  # 各县市区 … 1 所以上
    (10, "所", "楚怡优秀中职学校"),
    (1, "所", "楚怡中职学校"),  # 14 个市州各改扩建 1 所
    (5, "所", "楚怡优秀技工院校"),
    (10, "个", "特色项目"),
    (30, "个", "楚怡职教集团"),
}


def _entities(built: BuiltDocument, label: str) -> dict[str, dict]:  # type: ignore[type-arg]
    return {e.name: {"id": e.id, **e.properties} for e in built.bundle.entities if e.label == label}


def _rels(built: BuiltDocument, rel_type: str) -> set[tuple[str, str]]:
    return {(r.source, r.target) for r in built.bundle.relations if r.type == rel_type}


def _targets(built: BuiltDocument) -> set[tuple[int, str, str]]:
    return {(t["quantity"], t["unit"], t["object"]) for t in _entities(built, "Target").values()}


def test_metadata_of_the_seed(seed_built: BuiltDocument) -> None:
    doc = seed_built.bundle.document
    assert doc.title == "湖南省职业教育楚怡行动计划"  # no title line: from the file name
    assert doc.issuers == SEED_ISSUERS
    assert doc.publication == "主动公开"
    assert doc.doc_number is None and doc.date is None  # the seed states neither
    assert seed_built.metadata.region == "湖南省"


def test_all_five_issuers(seed_built: BuiltDocument) -> None:
    issued = _rels(seed_built, "ISSUED_BY")
    doc_id = seed_built.bundle.document.id
    assert issued == {(doc_id, org_id(n)) for n in SEED_ISSUERS}
    orgs = _entities(seed_built, "Organization")
    for name in SEED_ISSUERS:
        assert orgs[name]["kind"] == "government" and orgs[name]["region"] == "湖南省"
    assert "省教育厅" in orgs["湖南省教育厅"]["aliases"]


def test_both_schools_carry_the_heritage_base(seed_built: BuiltDocument) -> None:
    base = programme_id("楚怡文化传承基地")
    assigned = _rels(seed_built, "ASSIGNED_TO")
    assert (base, org_id("湖南工业职业技术学院")) in assigned
    assert (base, org_id("新化县楚怡工业学校")) in assigned
    orgs = _entities(seed_built, "Organization")
    assert orgs["新化县楚怡工业学校"]["kind"] == "school" and orgs["新化县楚怡工业学校"]["region"] == "新化县"
    assert orgs["湖南工业职业技术学院"]["kind"] == "school"
    located = _rels(seed_built, "LOCATED_IN")
    assert (org_id("新化县楚怡工业学校"), region_id("新化县")) in located
    assert (region_id("新化县"), region_id("娄底市")) in located
    assert (region_id("娄底市"), region_id("湖南省")) in located
    # 新化县楚怡工业学校 is a school, not a 楚怡 programme called 楚怡工业学校.
    assert "楚怡工业学校" not in _entities(seed_built, "Programme")


def test_programmes_with_aliases_and_descriptions(seed_built: BuiltDocument) -> None:
    progs = _entities(seed_built, "Programme")
    for name in (
        "楚怡文化传承基地", "楚怡高水平高职院校", "楚怡优秀中职学校", "楚怡优秀技工院校", "楚怡高水平职业本科专业群",
        "楚怡职教集团", "楚怡职业教育专业智库", "楚怡杯", "楚怡高水平学校",
    ):  # fmt: skip
        assert name in progs, name
        assert progs[name]["id"] == stable_id("prog", name)
    assert "楚怡职业教育文化馆" in progs["楚怡文化传承基地"]["aliases"]
    assert "楚怡职业教育文化馆" not in progs  # an alias, not a second programme
    assert "湖湘传统文化教育" in progs["楚怡文化传承基地"]["description"]
    assert progs["楚怡职教集团"]["description"].startswith("培育建设30个由政府、企业")


def test_every_quantitative_target(seed_built: BuiltDocument) -> None:
    assert _targets(seed_built) == SEED_TARGETS
    targets = {t["object"] + str(t["quantity"]): t for t in _entities(seed_built, "Target").values()}
    assert targets["楚怡中职学校1"]["scope"] == "14个市州各" and targets["楚怡中职学校1"]["verb"] == "改扩建"
    assert targets["公办中等职业学校1"]["scope"] == "各县市区" and targets["公办中等职业学校1"]["qualifier"] == "以上"
    assert targets["楚怡优秀中职学校10"]["scope"] == "全省"
    assert targets["楚怡职教集团30"]["verb"] == "培育建设"
    assert targets["楚怡文化传承基地20"]["text"].startswith("建设20个集传承")
    doc_id = seed_built.bundle.document.id
    sets = _rels(seed_built, "SETS_TARGET")
    for t in _entities(seed_built, "Target").values():
        assert t["id"] == stable_id("target", doc_id, str(t["quantity"]), t["unit"], t["object"])
        assert (doc_id, t["id"]) in sets
    assert (programme_id("楚怡高水平高职院校"), targets["楚怡高水平高职院校10"]["id"]) in sets
    assert (programme_id("楚怡高水平职业本科专业群"), targets["特色项目10"]["id"]) in sets  # via its heading


def test_every_relation_carries_its_evidence_passage(seed_built: BuiltDocument, unseen_built: BuiltDocument) -> None:
    for built in (seed_built, unseen_built):
        passages = {p.id: p.text for p in built.bundle.passages}
        names = {e.id: [e.name, *e.properties.get("aliases", [])] for e in built.bundle.entities}  # type: ignore[misc]
        for r in built.bundle.relations:
            if r.type == "PART_OF":
                continue  # structure, not an extracted fact
            assert r.evidence in passages, r
            if r.type == "ASSIGNED_TO":
                assert any(n in passages[r.evidence] for n in names[r.target]), r  # the name or an alias
        mentions = [r for r in built.bundle.relations if r.type == "MENTIONS"]
        assert mentions and all(r.source == r.evidence for r in mentions)


def test_unseen_document_metadata(unseen_built: BuiltDocument) -> None:
    doc = unseen_built.bundle.document
    assert doc.title == "关于印发《株洲市职业教育“楚怡”行动实施方案（2023—2025年）》的通知"
    assert doc.issuers == ["株洲市教育局", "株洲市人力资源和社会保障局", "株洲市发展和改革委员会"]
    assert doc.doc_number == "株教发〔2023〕7号"
    assert doc.date == "2023-03-15" and doc.publication == "主动公开"
    assert unseen_built.metadata.region == "株洲市"


def test_unseen_document_extraction(unseen_built: BuiltDocument) -> None:
    orgs = _entities(unseen_built, "Organization")
    expected_kinds = {
        "湖南铁道职业技术学院": "school", "湖南汽车工程职业学院": "school", "醴陵市陶瓷烟花职业技术学校": "school",
        "攸县职业中专学校": "school", "株洲市工业中等专业学校": "school", "株洲轨道交通职教集团": "group",
        "中车株洲电力机车有限公司": "enterprise", "株洲市人力资源和社会保障局": "government",
    }  # fmt: skip
    for name, kind in expected_kinds.items():
        assert orgs[name]["kind"] == kind, name
    assert orgs["醴陵市陶瓷烟花职业技术学校"]["region"] == "醴陵市"
    assert "市人社局" in orgs["株洲市人力资源和社会保障局"]["aliases"]  # 市人社局 resolved through the city
    assigned = _rels(unseen_built, "ASSIGNED_TO")
    for prog, org in [
        ("楚怡高水平高职院校", "湖南铁道职业技术学院"),
        ("楚怡高水平高职院校", "湖南汽车工程职业学院"),
        ("楚怡优秀中职学校", "醴陵市陶瓷烟花职业技术学校"),
        ("楚怡优秀中职学校", "攸县职业中专学校"),
        ("楚怡文化传承基地", "株洲市工业中等专业学校"),
        ("楚怡职教集团", "株洲轨道交通职教集团"),  # “楚怡”职教集团由…牵头组建
        ("楚怡工匠", "株洲市人力资源和社会保障局"),  # 市人社局牵头实施“楚怡工匠”培养计划
    ]:
        assert (programme_id(prog), org_id(org)) in assigned, (prog, org)
    assert _targets(unseen_built) == {
        (3, "所", "楚怡高水平高职院校"),
        (8, "所", "楚怡优秀中职学校"),
        (1, "所", "公办中等职业学校"),
        (15, "个", "楚怡高水平专业群"),  # 十五个
        (50, "个", "产教融合实训基地"),
        (6, "个", "市级示范性职教集团"),  # a hard-wrapped line
        (200, "名", "楚怡工匠"),
        (20, "名", "楚怡教学名师"),
    }
    targets = {t["object"] + str(t["quantity"]): t for t in _entities(unseen_built, "Target").values()}
    assert targets["楚怡高水平高职院校3"]["deadline"] == "2025年" and targets["楚怡高水平高职院校3"]["scope"] == "全市"
    assert targets["市级示范性职教集团6"]["deadline"] == "2024年底"
    assert targets["产教融合实训基地50"]["qualifier"] == "左右"
    assert targets["楚怡工匠200"]["scope"] == "每年"
    assert unseen_built.report.count("duplicate_paragraph") == 1


def test_gbk_copy_gives_the_same_graph(unseen_built: BuiltDocument, builder: DocumentBuilder, tmp_path: Path) -> None:
    gbk = tmp_path / UNSEEN.name
    gbk.write_bytes(UNSEEN.read_text(encoding="utf-8").encode("gbk"))
    built = builder.build(load_file(gbk, 10**7))
    assert built.report.encoding == "gb18030"
    assert {e.id for e in built.bundle.entities} == {e.id for e in unseen_built.bundle.entities}
    assert {r.key for r in built.bundle.relations} == {r.key for r in unseen_built.bundle.relations}


def test_laws_yield_legislature_and_dates(builder: DocumentBuilder, law_files: list[Path]) -> None:
    by_name = {p.name: p for p in law_files}
    vet = builder.build(load_file(by_name["职业教育法(2022-04-20).md"], 10**7)).bundle.document
    assert vet.title == "中华人民共和国职业教育法" and vet.issuers == ["全国人民代表大会常务委员会"]
    assert vet.date == "2022-04-20"
    sh = builder.build(load_file(by_name["上海市职业教育条例(2018-11-22).md"], 10**7)).bundle.document
    assert sh.issuers == ["上海市人民代表大会常务委员会"] and sh.date == "2018-11-22"
