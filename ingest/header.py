"""The header table of government pages, in HTML or as the label/value lines it leaves in extracted text.

gov.cn pages head a document with a table — 索引号 | 主题分类 | 发文机关 | 成文日期 | 标题 | 发文字号 | 发布日期
(中国政府网), 信息名称 | 信息索引 | 生成日期 | 发文机构 | 发文字号 | 信息类别 (教育部), the same on provincial
sites — which reaches us as table rows ("| 发文机构： | 教育部等九部门 |"), as one "label：value" per line, as
several pairs on a line, or as a label on one line and its value on the next. Reading never fails: a value
that cannot be read is left empty and named in `problems`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ingest.dates import has_date, parse_date
from ingest.models import HeaderFields

# label → field of HeaderFields; None: a label we know (so it ends the value before it) but do not keep.
LABELS: dict[str, str | None] = {
    "标题": "title", "信息名称": "title", "文件名称": "title",
    "索引号": "index_no", "信息索引": "index_no", "信息索引号": "index_no",
    "发文机关": "issuer_text", "发文机构": "issuer_text", "发布机构": "issuer_text", "发文单位": "issuer_text",
    "发布机关": "issuer_text", "制发机关": "issuer_text",
    "发文字号": "doc_number", "文号": "doc_number", "发文号": "doc_number",
    "成文日期": "written_date", "成文时间": "written_date",
    "发布日期": "published_date", "发布时间": "published_date", "生成日期": "published_date",
    "公开日期": "published_date", "印发日期": "published_date",
    "主题分类": "subject", "信息类别": "subject", "主题类别": "subject", "分类": "subject",
    "来源": "source", "信息来源": "source", "文章来源": "source",
    "内容概述": None, "有效性": None, "时效性": None, "主题词": None, "公开方式": None, "公开范围": None,
    "体裁分类": None, "组配分类": None, "服务对象": None, "浏览次数": None, "作者": None, "责任编辑": None,
    "编辑": None, "字号": None, "打印": None, "效力状态": None,
}  # fmt: skip
_DATE_FIELDS = ("written_date", "published_date")
_LABEL = "|".join(sorted(map(re.escape, LABELS), key=len, reverse=True))
_PAIR = re.compile(rf"(?P<label>{_LABEL})\s*[:：]\s*")
_BARE_LABEL = re.compile(rf"^(?P<label>{_LABEL})\s*[:：]?$")
MAX_HEADER_LINES = 40  # a header sits at the top: only the first lines of a document are read as one
_MAX_VALUE = 200
_MAX_PENDING_VALUE = 60
_DOCUMENT_TITLE = re.compile(r"(通知|意见|方案|办法|规定|条例|决定|计划|规划|纲要|公告|通告|函|法)$")


def read_header(lines: Iterable[str]) -> tuple[HeaderFields, set[int]]:
    """The header fields in the first lines of a document, and the indexes of the lines they came from."""
    fields: dict[str, str] = {}
    problems: list[str] = []
    used: set[int] = set()
    pending: tuple[int, str] | None = None  # a label whose value is on the next line
    for i, raw in enumerate(lines):
        if i >= MAX_HEADER_LINES:
            break
        line = raw.strip()
        if not line:
            continue
        if pending is not None:
            index, label = pending
            pending = None
            # (a broken table leaves a label with nothing after it: the document's title is not its value)
            if not _BARE_LABEL.match(line) and not _PAIR.match(line) and len(line) <= _MAX_PENDING_VALUE \
                    and not _DOCUMENT_TITLE.search(line):
                _keep(fields, problems, label, line)
                used.update({index, i})
                continue
        pairs = _pairs(line)
        if pairs is None:
            continue
        used.add(i)
        for label, value in pairs:
            if value:
                _keep(fields, problems, label, value)
        if _BARE_LABEL.match(line):  # only a label standing alone takes the next line as its value
            pending = (i, pairs[0][0])
    header = HeaderFields(problems=problems)
    for key, value in fields.items():
        setattr(header, key, value)
    return header, used


def _pairs(line: str) -> list[tuple[str, str]] | None:
    """(label, value) pairs when the line is made of header labels and their values; None for prose."""
    if "|" in line:
        cells = [c.strip() for c in line.strip("|").split("|")]
        cells = [c for c in cells if c]
        out: list[tuple[str, str]] = []
        i = 0
        while i < len(cells):
            m = _BARE_LABEL.match(cells[i]) or _PAIR.match(cells[i])
            if m is None:
                i += 1
                continue
            label = m.group("label")
            inline = cells[i][m.end() :].strip()
            if inline:
                out.append((label, inline))
                i += 1
            elif i + 1 < len(cells) and not (_BARE_LABEL.match(cells[i + 1]) or _PAIR.match(cells[i + 1])):
                out.append((label, cells[i + 1]))
                i += 2
            else:
                out.append((label, ""))
                i += 1
        return out or None
    bare = _BARE_LABEL.match(line)
    if bare:
        return [(bare.group("label"), "")]
    matches = list(_PAIR.finditer(line))
    if not matches or matches[0].start() != 0:
        return None
    out = []
    for k, m in enumerate(matches):
        end = matches[k + 1].start() if k + 1 < len(matches) else len(line)
        out.append((m.group("label"), line[m.end() : end].strip(" 　\t;；,，")))
    return out


def format_row(line: str) -> str:
    """A header row as text for the front passage: "信息索引：360A07-…　发文机构：教育部等九部门"."""
    pairs = _pairs(line.strip())
    if not pairs:
        return line.strip()
    return "　".join(f"{label}：{value}" for label, value in pairs if value)


def _keep(fields: dict[str, str], problems: list[str], label: str, value: str) -> None:
    key = LABELS.get(label)
    value = value.strip()[:_MAX_VALUE]
    if key is None or not value or key in fields:
        return
    if key in _DATE_FIELDS:
        iso = parse_date(value)
        if iso is None:
            problems.append(f"{label} {value!r} is not a date" if has_date(value) or value else f"{label} empty")
            return
        value = iso
    fields[key] = value


# -- HTML ------------------------------------------------------------------------------------------
def html_header_lines(html: str) -> tuple[list[str], list[str]]:
    """The rows of the page's header tables as "label | value | …" lines, and problems met reading them.

    Only tables with at least two known labels count (a layout table of links has none)."""
    from lxml import etree
    from lxml import html as lxml_html

    problems: list[str] = []
    try:
        root = lxml_html.fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        return [], [f"the page could not be parsed for a header table: {exc}"]
    out: list[str] = []
    for table in root.iter("table"):
        rows: list[str] = []
        labels = 0
        for tr in table.iter("tr"):
            cells = [" ".join(td.text_content().split()) for td in tr if td.tag in ("td", "th")]
            cells = [c for c in cells if c]
            if not cells:
                continue
            labels += sum(1 for c in cells if _BARE_LABEL.match(c) or _PAIR.match(c))
            rows.append(" | ".join(cells))
        if labels >= 2:
            out.extend(rows)
        elif labels == 1:
            problems.append("a table with a single header label was ignored")
    return out, problems
