"""Section tree and passages: heading levels, repeated numbering, boundaries, sentence-end splits."""

from __future__ import annotations

from ingest.bundle import BuiltDocument
from ingest.chunking import split_long
from ingest.models import Paragraph
from ingest.structure import build_structure, parse_marker


def test_heading_levels_are_recognised() -> None:
    cases = {
        "一、主要任务": ("cn", "一"),
        "（一）传承创新“楚怡”职业教育精神。": ("paren_cn", "（一）"),
        "(三)完善政策环境。创新政策供给": ("paren_cn", "（三）"),
        "2.夯实高职专科教育主体地位。": ("num", "2"),
        "（1）建设楚怡工匠学院": ("paren_num", "（1）"),
        "第三章 职业学校和职业培训机构": ("章", "第三章"),
        "## 第一章 总则": ("章", "第一章"),
        "第十二条 国家采取措施": ("条", "第十二条"),
    }
    for text, (kind, label) in cases.items():
        marker = parse_marker(text)
        assert marker is not None and (marker.kind, marker.label) == (kind, label), text
    for prose in ("2021年5月，省教育厅印发", "1.5倍以上", "第三章规定的职责，由县级以上人民政府落实。"):
        assert parse_marker(prose) is None, prose


def test_seed_section_tree(seed_built: BuiltDocument) -> None:
    sections = {s.path: s for s in seed_built.bundle.sections}
    assert sections["二/（一）/2"].heading == "建设一批“楚怡”文化传承基地"
    assert sections["二/（一）/2"].parent_id == sections["二/（一）"].id
    assert sections["二/（一）"].parent_id == sections["二"].id and sections["二"].parent_id is None
    assert sections["三/（一）"].heading == "加强党的领导，健全组织体系"
    assert [s.level for s in (sections["二"], sections["二/（一）"], sections["二/（一）/2"])] == [1, 2, 3]
    part_of = {(r.source, r.target) for r in seed_built.bundle.relations if r.type == "PART_OF"}
    assert (sections["二/（一）/2"].id, sections["二/（一）"].id) in part_of
    assert len(part_of) == sum(1 for s in sections.values() if s.parent_id)


def test_passages_keep_section_paths_and_boundaries(seed_built: BuiltDocument) -> None:
    passages = seed_built.bundle.passages
    assert len(passages) >= 20
    sections = {s.id: s for s in seed_built.bundle.sections}
    for p in passages:
        if p.section_id is None:
            assert p.section_path == ""
            continue
        assert sections[p.section_id].path == p.section_path
    base = next(p for p in passages if "文化传承基地（“楚怡”职业教育文化馆）" in p.text)
    assert base.section_path == "二/（一）/2"
    # A passage never mixes two numbered items.
    assert not any("1.稳步发展" in p.text and "2.夯实" in p.text for p in passages)
    assert [p.order for p in passages] == list(range(len(passages)))


def test_inconsistent_numbering_gets_unique_paths() -> None:
    paras = [Paragraph(text=t, line=i) for i, t in enumerate(
        ["一、总体要求", "（一）指导思想。坚持立德树人。", "（一）基本原则。坚持服务发展。", "二、主要任务",
         "1.建设基地。建设一批。"]
    )]  # fmt: skip
    tree = build_structure(paras)
    assert [s.key for s in tree.sections] == ["一", "一/（一）", "一/（一）#2", "二", "二/1"]


def test_long_paragraphs_split_at_sentence_ends() -> None:
    text = "".join(f"第{i}句话讲的是楚怡职业教育的一件事情。" for i in range(40))
    pieces = split_long(text, 120)
    assert len(pieces) > 1 and all(len(p) <= 120 for p in pieces)
    assert all(p.endswith("。") for p in pieces) and "".join(pieces) == text


def test_laws_have_chapters_and_articles(builder, law_files) -> None:  # type: ignore[no-untyped-def]
    from ingest.loaders import load_file

    for path in law_files:
        built = builder.build(load_file(path, 10**7))
        articles = [s for s in built.bundle.sections if s.path.split("/")[-1].endswith("条")]
        assert len(articles) >= 10, path.name
        chapters = [s for s in built.bundle.sections if s.path.split("/")[-1].endswith("章")]
        for a in articles:
            if chapters:
                assert a.path.startswith("第") and "章/" in a.path, (path.name, a.path)
        assert built.bundle.document.title.startswith(("中华人民共和国", path.stem[:2])), path.name
        assert all(p.section_path for p in built.bundle.passages[1:]), path.name
