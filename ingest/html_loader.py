"""HTML loader for government web pages: trafilatura keeps the article and drops navigation."""

from __future__ import annotations

import hashlib
import re

from ingest.decoding import decode_text
from ingest.errors import EmptyDocument
from ingest.models import LoadedDocument

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)
# Site names that government pages append to the <title>.
_TITLE_SITE = re.compile(r"\s*[_|｜—-]\s*[^_|｜—-]{2,30}(网站|门户|政府网|官网|教育厅|教育局)?\s*$")


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
        meta = trafilatura.extract_metadata(html)
        title = meta.title.strip() if meta is not None and meta.title else None
        if title and ("_" in title or "|" in title or "｜" in title):
            title = _TITLE_SITE.sub("", title) or title
        return LoadedDocument(
            source=source,
            format="html",
            text=text,
            sha256=hashlib.sha256(data).hexdigest(),
            encoding="html",
            title_hint=title,
        )
