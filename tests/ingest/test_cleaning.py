"""Cleaning on the seed and on small texts: what is removed or joined, and that the report says so."""

from __future__ import annotations

from ingest.bundle import BuiltDocument, DocumentBuilder
from ingest.dedup import find_duplicates
from ingest.models import LoadedDocument
from ingest.normalize import normalise_line

ISSUERS = ["湖南省发展和改革委员会", "湖南省教育厅", "湖南省司法厅", "湖南省卫生健康委员会", "湖南省市场监督管理局"]


def _texts(built: BuiltDocument) -> list[str]:
    return [p.text for p in built.bundle.passages]


def test_issuer_blocks_collapse_to_one(seed_built: BuiltDocument) -> None:
    report = seed_built.report
    assert report.issuers_kept == ISSUERS
    repeated = report.count("repeated_issuer_line")
    assert report.issuer_lines_seen == 30 and repeated == 25
    front = seed_built.bundle.passages[0]
    assert front.text.split("\n") == ISSUERS
    assert sum(t.count("湖南省司法厅") for t in _texts(seed_built)) == 1
    assert [d.text for d in report.dropped if d.kind == "masthead_fragment"] == ["湖南"]  # from 湖 南


def test_repeated_list_items_collapse_and_are_counted(seed_built: BuiltDocument) -> None:
    report = seed_built.report
    dups = [d for d in report.dropped if d.kind == "duplicate_paragraph"]
    assert len(dups) == 15  # items 6–20 repeat item 5 verbatim
    assert {d.duplicate_of_line for d in dups} == {dups[0].duplicate_of_line}
    holding = [t for t in _texts(seed_built) if "加强学校党组织书记队伍建设" in t]
    assert len(holding) == 1 and holding[0].startswith("5.")
    assert report.duplicates_dropped == 15 + 25


def test_broken_sentence_is_rejoined(seed_built: BuiltDocument) -> None:
    (join,) = seed_built.report.joined
    assert join.across_blank_line and join.before.endswith("由政府、") and join.after.startswith("企业、行业")
    assert any("培育建设30个由政府、企业、行业、职业院校等多方参与的“楚怡”职教集团。" in t for t in _texts(seed_built))
    assert not any(t.startswith("企业、行业") for t in _texts(seed_built))


def test_spaces_and_widths_are_normalised(seed_built: BuiltDocument, unseen_built: BuiltDocument) -> None:
    seed = "\n".join(_texts(seed_built))
    assert "建设20个集传承" in seed and "建设 20 个" not in seed
    assert "(三)完善政策环境" in seed
    assert seed_built.report.normalisation.spaces_removed > 0
    unseen = "\n".join(_texts(unseen_built))
    assert "建成3所" in unseen and "３" not in unseen
    assert unseen_built.report.normalisation.fullwidth_chars >= 2
    assert normalise_line("建设２０个　“楚怡” 基地") == "建设20个“楚怡”基地"
    assert normalise_line("第一条　为了发展职业教育") == "第一条 为了发展职业教育"
    assert normalise_line("Hunan Vocational College 湖南") == "Hunan Vocational College 湖南"


def test_publication_marker_is_metadata_not_text(seed_built: BuiltDocument) -> None:
    assert seed_built.report.metadata_lines == ["(此件主动公开)"]
    assert not any("此件主动公开" in t for t in _texts(seed_built))


def test_repeated_heading_continues_its_section(seed_built: BuiltDocument) -> None:
    assert seed_built.report.repeated_headings_merged == ["三 主要任务"]
    paths = [s.path for s in seed_built.bundle.sections]
    assert paths.count("三") == 1 and "三/（三）" in paths and "三/（四）" in paths


def test_near_duplicates_are_dropped_but_parallel_provisions_stay() -> None:
    item = "加强学校党组织书记队伍建设，选优配强学校党组织书记，建立健全学校党组织书记工作制度。"
    near = item.replace("选优配强学校党组织书记", "选优配齐学校党组织书记")  # one character off
    hits = find_duplicates([f"5.{item}", f"6.{near}", "7.其他内容完全不同的一个条目，用来隔开。"])
    assert [(h.index, h.of_index) for h in hits] == [(1, 0)] and hits[0].similarity < 1.0
    # Parallel provisions a few characters apart are law, not noise.
    law = [  # 高等教育法 第二十条, two consecutive paragraphs
        "本科毕业或者具有同等学力的，经考试合格，由实施相应学历教育的高等学校或者经批准承担研究生教育任务的"
        "科学研究机构录取，取得硕士研究生入学资格。",
        "硕士研究生毕业或者具有同等学力的，经考试合格，由实施相应学历教育的高等学校或者经批准承担研究生教育任务的"
        "科学研究机构录取，取得博士研究生入学资格。",
    ]
    assert find_duplicates(law) == []
    # A short enumerated item recurring far apart is a parallel provision too.
    spaced = ["（三）法律、行政法规规定的其他情形。", *[f"第{i}条 不同的内容{i}，互不相同的文字。" for i in range(6)],
              "（三）法律、行政法规规定的其他情形。"]  # fmt: skip
    assert find_duplicates(spaced) == []


def test_hard_wrapped_lines_are_joined(builder: DocumentBuilder) -> None:
    text = (
        "湖南省教育厅\n\n一、主要任务\n\n"
        "1.遴选建设一批“楚怡”高水平专业群，到2025年全省培育建设二十个\n"
        "“楚怡”高水平专业群，服务湖南产业发展。\n\n"
        "（一）加强组织领导\n\n各地要落实责任。\n"
    )
    built = builder.build(LoadedDocument(source="wrapped.txt", format="text", text=text, sha256="x"))
    assert any("培育建设二十个“楚怡”高水平专业群，服务" in p.text for p in built.bundle.passages)
    assert built.report.joined[0].across_blank_line is False
    # A short heading is never glued to the line after it.
    assert any(p.text == "各地要落实责任。" or p.text.endswith("各地要落实责任。") for p in built.bundle.passages)
    assert not any("加强组织领导各地" in p.text for p in built.bundle.passages)
