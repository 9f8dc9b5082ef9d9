"""HTML loader for government web pages: trafilatura keeps the article and drops navigation.

Besides the article text, the page itself says what the document is: the header table (read here from the
HTML, see ingest/header.py, because the article extractor may drop it), the title — the <h1>, or the
ArticleTitle / PubDate / ContentSource meta tags that 《政府网站发展指引》 asks government sites to carry, or
the <title> without the site name that pages append to it ("X_湖南省教育厅") — and the page's date.
"""

from __future__ import annotations

import hashlib
import re

from ingest.dates import parse_date
from ingest.decoding import decode_text
from ingest.errors import EmptyDocument
from ingest.header import html_header_lines
from ingest.models import LoadedDocument

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)
# "X_湖南省教育厅", "X - 中华人民共和国教育部政府门户网站", "X｜中国政府网": the part after the last separator
# is the site when it reads like a site or an institution.
_SITE_SEPARATOR = re.compile(r"\s*(?:_|\||｜|\s[-—–]\s)\s*")
_SITE_WORDS = re.compile(
    r"(网站|门户|网|政府|厅|局|部|委员会|委|办公室|中心|学院|大学|学校|报|新闻|频道|客户端|"
    r"政策|要闻|动态|资讯|通知公告|信息公开|政务公开|文件)$"  # column names that precede the site name
)
_MAX_SITE = 30


def _decode(data: bytes) -> str:
    declared = _CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii", "ignore").lower()
        if name in ("gbk", "gb2312", "gb18030"):
            name = "gb18030"
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data)[0]


def strip_site_name(title: str) -> str:
    """关于…的通知_湖南省教育厅 → 关于…的通知; a title without a site part is returned as it is."""
    parts = _SITE_SEPARATOR.split(title.strip())
    while len(parts) > 1 and len(parts[-1]) <= _MAX_SITE and _SITE_WORDS.search(parts[-1]):
        parts.pop()
    return "_".join(parts).strip() or title.strip()


class PageParts:
    """The parts of a page the article text does not carry (title candidates, meta tags)."""

    def __init__(self, html: str) -> None:
        self.html = html

    def read(self) -> tuple[str | None, str | None, str | None, list[str]]:
        """(title, date, source, problems). Never raises: a page lxml cannot read gives Nones."""
        from lxml import etree
        from lxml import html as lxml_html

        try:
            root = lxml_html.fromstring(self.html)
        except (etree.ParserError, ValueError) as exc:
            return None, None, None, [f"the page could not be parsed: {exc}"]
        meta = {
            (m.get("name") or m.get("property") or "").lower(): (m.get("content") or "").strip()
            for m in root.iter("meta")
        }
        title_el = root.find(".//title")
        page_title = " ".join(title_el.text_content().split()) if title_el is not None else ""
        h1 = next((" ".join(h.text_content().split()) for h in root.iter("h1") if h.text_content().strip()), "")
        article_title = meta.get("articletitle") or ""
        title = None
        if h1 and (not page_title or h1 in page_title or page_title in h1):
            title = h1
        elif article_title:
            title = article_title
        elif page_title:
            title = strip_site_name(page_title)
        elif h1:
            title = h1
        date = parse_date(meta.get("pubdate", "")) if meta.get("pubdate") else None
        source = meta.get("contentsource") or None
        return title, date, source, []


class HtmlLoader:
    suffixes: tuple[str, ...] = (".html", ".htm", ".shtml", ".xhtml")

    def load(self, source: str, data: bytes) -> LoadedDocument:
        import trafilatura

        html = _decode(data)
        text = trafilatura.extract(
            html,
            output_format="txt",
            include_comments=False,
            include_tables=True,
            include_links=False,
            deduplicate=False,
        )
        if not text or not text.strip():
            raise EmptyDocument("no article text found in the HTML page")
        title, date, page_source, problems = PageParts(html).read()
        if title is None:
            meta = trafilatura.extract_metadata(html)
            title = strip_site_name(meta.title) if meta is not None and meta.title else None
            if date is None and meta is not None and meta.date:
                date = parse_date(meta.date)
        header, table_problems = html_header_lines(html)
        return LoadedDocument(
            source=source,
            format="html",
            text=text,
            sha256=hashlib.sha256(data).hexdigest(),
            encoding="html",
            title_hint=title,
            header_lines=header,
            page_date=date,
            page_source=page_source,
            problems=[*problems, *table_problems],
        )
