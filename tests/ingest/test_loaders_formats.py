"""Loaders on real files made here: docx by python-docx, PDF by reportlab (CJK CID font), HTML pages."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from ingest.errors import CorruptFile, DecodeFailed, EmptyDocument, FileTooLarge, UnsupportedFormat
from ingest.loaders import load_file
from tests.conftest import SEED

NAV_PAGE = """<html><head><meta charset="{charset}">
<title>关于印发《长沙市职业教育楚怡行动实施方案》的通知_长沙市教育局</title></head>
<body>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li>
<li><a href="/xxgk">信息公开目录</a></li></ul></div>
<div class="crumb">当前位置：首页 &gt; 政务公开 &gt; 通知公告</div>
<div class="article"><h1>关于印发《长沙市职业教育楚怡行动实施方案》的通知</h1>
<p>各区县（市）教育局，市直各职业院校：</p>
<p>现将《长沙市职业教育楚怡行动实施方案》印发给你们，请结合实际认真贯彻执行。</p>
<p>一、重点任务</p>
<p>（一）遴选建设 5 所“楚怡”优秀中职学校，支持长沙财经学校建设“楚怡”文化传承基地。</p>
<p>长沙市教育局</p><p>2022年3月1日</p>
</div>
<div class="footer"><p>版权所有：长沙市教育局 网站标识码 4301000001 湘ICP备12345678号</p>
<p>联系我们 | 网站地图</p></div>
</body></html>"""


def test_docx_paragraphs_tables_and_title(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("湖南省职业教育楚怡行动计划", style="Title")
    document.add_paragraph("一、主要任务")
    document.add_paragraph("建设 20 个“楚怡”文化传承基地。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "项目"
    table.cell(0, 1).text = "数量"
    table.cell(1, 0).text = "楚怡优秀中职学校"
    table.cell(1, 1).text = "10所"
    path = tmp_path / "计划.docx"
    document.save(str(path))
    loaded = load_file(path, 10**7)
    assert loaded.format == "docx"
    assert loaded.title_hint == "湖南省职业教育楚怡行动计划"
    assert "建设 20 个“楚怡”文化传承基地。" in loaded.text
    assert "楚怡优秀中职学校 10所" in loaded.text
    assert loaded.text.index("一、主要任务") < loaded.text.index("楚怡优秀中职学校")


def test_pdf_text_layer(tmp_path: Path) -> None:
    reportlab = pytest.importorskip("reportlab", reason="reportlab (dev dependency) makes the test PDF")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    assert reportlab.Version
    # STSong-Light is one of the CID fonts every PDF reader knows; no font file is needed.
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setTitle("湖南省职业教育楚怡行动计划")
    pages = (["湖南省教育厅", "一、主要任务", "遴选建设10所“楚怡”高水平高职院校。"], ["二、保障措施"])
    for page, lines in enumerate(pages):
        c.setFont("STSong-Light", 12)
        for i, line in enumerate(lines):
            c.drawString(72, 760 - 20 * i, line)
        c.drawString(300, 40, f"- {page + 1} -")
        c.showPage()
    c.save()
    path = tmp_path / "计划.pdf"
    path.write_bytes(buf.getvalue())
    loaded = load_file(path, 10**7)
    assert loaded.format == "pdf"
    assert loaded.title_hint == "湖南省职业教育楚怡行动计划"
    assert "遴选建设10所“楚怡”高水平高职院校。" in loaded.text
    assert "二、保障措施" in loaded.text


@pytest.mark.parametrize("charset", ["utf-8", "gbk"])
def test_html_keeps_the_article_and_drops_navigation(tmp_path: Path, charset: str) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(NAV_PAGE.format(charset=charset).encode(charset))
    loaded = load_file(path, 10**7)
    assert loaded.format == "html"
    assert "支持长沙财经学校建设“楚怡”文化传承基地" in loaded.text
    assert "长沙市教育局" in loaded.text
    for noise in ("首页", "信息公开目录", "当前位置", "版权所有", "网站地图"):
        assert noise not in loaded.text
    assert loaded.title_hint == "关于印发《长沙市职业教育楚怡行动实施方案》的通知"


def test_gb18030_and_utf16_are_detected(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    for encoding, expected in (("gb18030", "gb18030"), ("utf-16", "utf-16")):
        path = tmp_path / f"seed_{encoding}.txt"
        path.write_bytes(text.encode(encoding))
        loaded = load_file(path, 10**7)
        assert loaded.encoding == expected
        assert loaded.text == text


@pytest.mark.parametrize(
    ("name", "data", "error"),
    [
        ("broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage", CorruptFile),
        ("not-a-pdf.pdf", "这不是PDF文件".encode(), CorruptFile),
        ("broken.docx", b"PK\x03\x04 this is not a zip archive", CorruptFile),
        ("text-renamed.docx", "这不是Word文件".encode(), CorruptFile),
        ("noise.txt", bytes(range(0x80, 0x100)) * 8, DecodeFailed),
        ("empty.html", b"<html><head><title>x</title></head><body><script>var a = 1;</script></body></html>",
         EmptyDocument),
        ("slides.pptx", b"PK\x03\x04", UnsupportedFormat),
        ("noext", "楚怡".encode(), UnsupportedFormat),
    ],
)
def test_bad_files_get_a_clear_error(tmp_path: Path, name: str, data: bytes, error: type[Exception]) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(error) as info:
        load_file(path, 10**6)
    assert str(info.value)


def test_pdf_without_text_layer_is_empty(tmp_path: Path) -> None:
    pytest.importorskip("reportlab", reason="reportlab (dev dependency) makes the test PDF")
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.rect(72, 72, 200, 200, fill=1)  # a drawing, no text: what a scan looks like to a text extractor
    c.showPage()
    c.save()
    path = tmp_path / "scan.pdf"
    path.write_bytes(buf.getvalue())
    with pytest.raises(EmptyDocument, match="no text layer"):
        load_file(path, 10**7)


def test_size_limit_applies_to_every_format(tmp_path: Path) -> None:
    path = tmp_path / "big.html"
    path.write_text("<p>" + "楚怡" * 2000 + "</p>", encoding="utf-8")
    with pytest.raises(FileTooLarge, match="limit"):
        load_file(path, 1000)
