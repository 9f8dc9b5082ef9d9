"""Library metadata from the layouts real files use: gov.cn header tables, 文号 lines, 落款, law headers,
page titles, kinds and works, traditional script, and bad metadata that must not fail a document."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.bundle import BuiltDocument, DocumentBuilder
from ingest.doc_kind import document_kind, work_of
from ingest.header import read_header
from ingest.loaders import load_file
from ingest.textkey import text_fingerprint
from tests.ingest.conftest import DATA


def _build(builder: DocumentBuilder, path: Path) -> BuiltDocument:
    return builder.build(load_file(path, 10**7))


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_moe_page_header_table_and_nine_issuers(builder: DocumentBuilder) -> None:
    built = _build(builder, DATA / "教育部_教职成2020-7号_提质培优行动计划.html")
    doc = built.bundle.document
    assert doc.title == "教育部等九部门关于印发《职业教育提质培优行动计划（2020—2023年）》的通知"
    assert doc.doc_number == "教职成〔2020〕7号" and doc.index_no == "360A07-06-2020-0014-1"
    assert doc.subject == "职业教育与成人教育" and doc.kind == "通知"
    assert doc.written_date == "2020-09-16" and doc.version_date == "2020-09-16"  # the 落款 date
    assert doc.date == "2020-09-23"  # the header's date
    assert doc.issuers == [
        "教育部", "国家发展和改革委员会", "工业和信息化部", "财政部", "人力资源和社会保障部", "农业农村部",
        "国务院国有资产监督管理委员会", "国家税务总局", "国务院扶贫开发领导小组办公室",
    ]  # fmt: skip
    front = next(p for p in built.bundle.passages if p.id == doc.header_passage_id)
    assert "发文机构：教育部等九部门" in front.text and "|" not in front.text
    assert not any(p.text.startswith("| ") for p in built.bundle.passages)
    issued = {r.target for r in built.bundle.relations if r.type == "ISSUED_BY"}
    assert len(issued) == 9  # 国务院 is not pulled out of 国务院国资委 / 国务院扶贫办


def test_provincial_page_title_not_doubled_and_its_dates(builder: DocumentBuilder) -> None:
    built = _build(builder, DATA / "湖南省教育厅_楚怡行动通知.html")
    doc = built.bundle.document
    assert doc.title == "关于实施职业教育“楚怡”行动的通知"  # <title> X_湖南省教育厅, <h1> X, X again: one X
    assert built.metadata.title_from in ("text", "page")
    assert doc.doc_number == "湘教发〔2022〕12号" and doc.kind == "通知"
    assert doc.date == "2022-04-08" and doc.written_date == "2022-03-30"  # the page's date; the 落款's
    assert doc.issuers == ["湖南省教育厅", "湖南省发展和改革委员会", "湖南省财政厅", "湖南省人力资源和社会保障厅"]


def test_a_page_copied_as_text_shows_its_title_twice(builder: DocumentBuilder, tmp_path: Path) -> None:
    # The text of the 湖南省教育厅 page as a browser copies it: the heading, the byline, the title again.
    title = "关于实施职业教育“楚怡”行动的通知"
    text = (f"首页>省教育厅>信息公开>通知公告\n\n{title}\n\n湖南省教育厅 时间：2022-04-08 10:49\n\n{title}\n\n"
            "各市州、县市区人民政府：\n\n为推动我省职业教育高质量发展，现就有关事项通知如下。\n")  # fmt: skip
    built = _build(builder, _write(tmp_path, "page-copy.txt", text))
    assert built.bundle.document.title == title and built.metadata.title_from == "text"
    assert any(d.kind == "repeated_title" for d in built.report.dropped)
    assert built.bundle.document.date == "2022-04-08"  # the byline's date


def test_gov_cn_label_value_lines(builder: DocumentBuilder) -> None:
    built = _build(builder, DATA / "国务院_国发2019-4号_职教改革方案.txt")
    doc = built.bundle.document
    assert doc.title == "国务院关于印发国家职业教育改革实施方案的通知" and built.metadata.title_from == "header"
    assert (doc.index_no, doc.subject) == ("000014349/2019-00010", "科技、教育\\教育")
    assert doc.doc_number == "国发〔2019〕4号"
    assert (doc.written_date, doc.date) == ("2019-01-24", "2019-02-13")
    assert doc.issuers == ["国务院"] and doc.kind == "通知"
    assert doc.publication == "公开发布"


@pytest.mark.parametrize(
    "lines",
    [
        ["| 发文机关： | 国务院 | 成文日期： | 2019年01月24日 |"],  # a table row as the extractor renders it
        ["发文机关：国务院 成文日期：2019-01-24"],  # pairs on one line
        ["发文机关：", "国务院", "成文日期：", "2019年1月24日"],  # label, value on the next line
    ],
)
def test_header_layouts(lines: list[str]) -> None:
    header, used = read_header(lines)
    assert (header.issuer_text, header.written_date) == ("国务院", "2019-01-24")
    assert used == set(range(len(lines)))


def test_a_broken_header_table_does_not_fail_the_page(builder: DocumentBuilder) -> None:
    built = _build(builder, DATA / "损坏的表头_测试.html")
    doc = built.bundle.document
    assert doc.title == "关于做好职业院校技能大赛工作的通知" and doc.index_no == "4301-2022-0031"
    assert doc.subject is None  # its label had no value: the title below it is not one
    assert doc.doc_number == "长教通[2022]8号"  # [] brackets
    assert doc.written_date == "2022-03-05"  # from the 落款 二〇二二年三月五日, not the impossible header date
    assert any("2022年13月45日" in w for w in built.metadata.warnings)
    assert built.bundle.passages


@pytest.mark.parametrize(
    ("line", "number"),
    [("湘教发〔2022〕12号", "湘教发〔2022〕12号"), ("教职成[2020]7号", "教职成[2020]7号"),
     ("教职成（2020）7号", "教职成（2020）7号"), ("湘教通(2021) 35号", "湘教通(2021)35号")],
)  # fmt: skip
def test_doc_number_brackets(builder: DocumentBuilder, tmp_path: Path, line: str, number: str) -> None:
    text = (f"关于做好2022年职业院校招生工作的通知\n\n{line}\n\n各市州教育局：\n\n"
            "现将有关事项通知如下，请认真执行。\n\n湖南省教育厅\n2022年3月5日\n")
    doc = _build(builder, _write(tmp_path, "notice.txt", text)).bundle.document
    assert doc.doc_number == number and doc.issuers == ["湖南省教育厅"] and doc.written_date == "2022-03-05"


def test_signature_with_chinese_numeral_date(builder: DocumentBuilder, tmp_path: Path) -> None:
    text = ("关于开展职业教育活动周的通知\n\n各市州教育局：\n\n现就开展职业教育活动周有关事项通知如下，请认真组织。\n\n"
            "湖南省教育厅\n湖南省人力资源和社会保障厅\n二〇二二年三月五日\n")
    doc = _build(builder, _write(tmp_path, "活动周.txt", text)).bundle.document
    assert doc.written_date == "2022-03-05" and doc.issuers == ["湖南省教育厅", "湖南省人力资源和社会保障厅"]


def test_flk_law_header_and_inserted_articles(builder: DocumentBuilder) -> None:
    built = _build(builder, DATA / "中华人民共和国刑法_节选.txt")
    doc = built.bundle.document
    assert (doc.title, doc.work, doc.kind) == ("中华人民共和国刑法", "刑法", "法律")
    assert doc.version_date == "2020-12-26" and doc.issuers == ["全国人民代表大会常务委员会"]
    paths = [s.path for s in built.bundle.sections]
    assert "第四章/第二百六十二条之二" in paths and "第四章/第二百六十二条之一" in paths
    article = next(p for p in built.bundle.passages if p.section_path == "第四章/第二百六十二条之二")
    assert article.text.startswith("第二百六十二条之二 组织未成年人")
    plain = next(p for p in built.bundle.passages if p.section_path == "第四章/第二百六十二条")
    assert "组织未成年人" not in plain.text


# The 22 laws: (file, kind, work, version_date) as their promulgation lines give them.
LAWS = [
    ("职业教育法(1996-05-15).md", "法律", "职业教育法", "1996-05-15"),
    ("职业教育法(2022-04-20).md", "法律", "职业教育法", "2022-04-20"),
    ("劳动法(2018-12-29).md", "法律", "劳动法", "2018-12-29"),
    ("教育督导条例(2012-09-09).md", "行政法规", "教育督导条例", "2012-09-09"),
    ("征收教育费附加的暂行规定(2011-01-08).md", "行政法规", "征收教育费附加的暂行规定", "2005-08-20"),
    ("民办教育促进法实施条例(2021-04-07).md", "行政法规", "民办教育促进法实施条例", "2021-04-07"),
    ("上海市职业教育条例(2018-11-22).md", "地方性法规", "上海市职业教育条例", "2018-11-22"),
    ("北京市实施《职业教育法》办法.md", "地方性法规", "北京市实施《职业教育法》办法", "1997-09-05"),
    ("宁波市职业技能培训条例(2016-04-20).md", "地方性法规", "宁波市职业技能培训条例", "2016-04-20"),
    ("青岛市职业教育条例(2015-09-24).md", "地方性法规", "青岛市职业教育条例", "2015-09-24"),
]


def test_the_laws_kind_work_and_version(builder: DocumentBuilder, law_files: list[Path]) -> None:
    by_name = {p.name: p for p in law_files}
    for name, kind, work, version in LAWS:
        doc = _build(builder, by_name[name]).bundle.document
        assert (doc.kind, doc.work, doc.version_date) == (kind, work, version), name
    for path in law_files:
        doc = _build(builder, path).bundle.document
        assert doc.kind in ("法律", "行政法规", "地方性法规") and doc.work and doc.version_date, path.name
        assert doc.title == f"中华人民共和国{doc.work}" or doc.title.replace("中华人民共和国", "") == doc.work


@pytest.mark.parametrize(
    ("title", "kind"),
    [("关于印发《X方案》的通知", "通知"), ("关于加快发展现代职业教育的实施意见", "意见"),
     ("湖南省职业教育楚怡行动计划", "规划"), ("湖南省“十四五”教育事业发展规划", "规划"),
     ("株洲市职业教育楚怡行动实施方案", "方案"), ("职业学校学生实习管理规定", "办法")],
)  # fmt: skip
def test_kind_from_the_title(title: str, kind: str) -> None:
    assert document_kind(title, [], ["湖南省教育厅"], "各市州教育局：", True) == kind


def test_work_names_the_same_work_for_every_version() -> None:
    assert work_of("中华人民共和国职业教育法") == work_of("职业教育法") == "职业教育法"
    assert work_of("职业学校学生实习管理规定（试行）") == "职业学校学生实习管理规定"
    assert work_of("北京市实施《中华人民共和国职业教育法》办法") == "北京市实施《职业教育法》办法"
    assert work_of("中华人民共和国职业教育法（2022年修订）") == "职业教育法"


def test_news_item_kind_results_and_no_school_from_a_verb_phrase(builder: DocumentBuilder) -> None:
    built = _build(builder, DATA / "红网_楚怡名单新闻.txt")
    doc = built.bundle.document
    assert doc.kind == "新闻" and doc.title == "百年楚怡焕新颜职教湘军再出发" and doc.date == "2023-01-11"
    names = {e.name for e in built.bundle.entities if e.label == "Organization"}
    assert not any("筹办" in n for n in names)
    targets = [e for e in built.bundle.entities if e.label == "Target"]
    results = {(e.properties["quantity"], e.properties["object"], e.properties["year"])
               for e in targets if e.properties["kind"] == "result"}  # fmt: skip
    assert (30, "楚怡高水平高职院校", 2022) in results and (20, "湖南省楚怡文化传承基地建设单位", 2022) in results
    plan = {(e.properties["quantity"], e.properties["object"]) for e in targets if e.properties["kind"] == "target"}
    assert plan == {(10, "楚怡高水平高职院校")}  # the plan target the item quotes stays a target
    prog = next(e for e in built.bundle.entities if e.name == "楚怡高水平高职院校")
    kinds = {r.properties.get("kind") for r in built.bundle.relations
             if r.source == prog.id and r.type == "SETS_TARGET"}  # fmt: skip
    assert kinds == {"result", None}


def test_counted_results_in_other_words(builder: DocumentBuilder, tmp_path: Path) -> None:
    text = ("楚怡名单公布\n\n来源：湖南日报\n\n"
            "2022年认定楚怡产教融合实训基地30个。全省共有12所学校入选，入选学校名单见附件。\n")
    built = _build(builder, _write(tmp_path, "news.txt", text))
    results = {(e.properties["quantity"], e.properties["unit"]) for e in built.bundle.entities
               if e.label == "Target" and e.properties["kind"] == "result"}  # fmt: skip
    assert results == {(30, "个"), (12, "所")}


def test_traditional_characters_in_utf8_and_gbk(builder: DocumentBuilder, tmp_path: Path) -> None:
    source = DATA / "繁體_關於實施職業教育楚怡行動的通知.txt"
    for encoding in ("utf-8", "gbk"):
        path = _write(tmp_path, f"trad-{encoding}.txt", source.read_text(encoding="utf-8"), encoding)
        built = _build(builder, path)
        doc = built.bundle.document
        assert doc.title == "关于实施职业教育“楚怡”行动的通知" and doc.doc_number == "湘教发〔2022〕12号"
        assert doc.issuers == ["湖南省教育厅"] and doc.written_date == "2022-03-30"
        assert built.report.normalisation.traditional_chars > 20
    simplified = _build(builder, DATA / "湖南省教育厅_楚怡行动通知.html")
    assert simplified.report.normalisation.traditional_chars == 0


def test_unreadable_metadata_still_ingests_and_is_reported(builder: DocumentBuilder, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    messy = _write(tmp_path, "x9f3a.txt",
                   "的的的 。。。\n\n一些没有标题、没有发文单位也没有日期的文字，写得很乱，但仍然是一段正文。\n")
    built = _build(builder, messy)
    assert built.bundle.passages and built.bundle.document.issuers == []
    assert {"no issuer found", "no date found"} <= set(built.metadata.warnings)
    assert any("title was taken from the" in w for w in built.metadata.warnings)

    import ingest.bundle

    def broken(*_: object) -> None:
        raise ValueError("simulated failure of a metadata rule")

    monkeypatch.setattr(ingest.bundle, "extract_metadata", broken)
    built = _build(builder, DATA / "湖南省教育厅_楚怡行动通知.html")
    assert built.bundle.passages and built.metadata.title_from == "file name"
    assert any("simulated failure" in w for w in built.metadata.warnings)


def test_one_key_for_the_same_text_in_any_encoding_or_script() -> None:
    text = (DATA / "湖南省教育厅_楚怡行动通知.html").read_text(encoding="utf-8")
    assert text_fingerprint(text) == text_fingerprint(text.replace("\n", "\r\n").replace("2025", "２０２５"))
    trad = (DATA / "繁體_關於實施職業教育楚怡行動的通知.txt").read_text(encoding="utf-8")
    from ingest.script import to_simplified

    assert text_fingerprint(trad) == text_fingerprint(to_simplified(trad)[0])
    assert text_fingerprint(text) != text_fingerprint(text + "另加一句。")
