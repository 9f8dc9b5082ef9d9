"""A document as a version of a work: its work name, version date and status.

The library contract (graph.models.Document `work`, `version_date`, `status`, written at ingest) is read
first; until ingest fills those fields they are derived here, from the title and the file name
("职业教育法(2022-04-20).md") — the one place to switch over when they are always filled.
"""

from __future__ import annotations

import re
from pathlib import Path

from graph.models import Document
from search_api.references.numerals import parse_number
from search_api.references.schemas import VersionStatus

_PRC = "中华人民共和国"
_DATE_PARENS = re.compile(r"\s*[（(][^（）()]*(?:\d{4}|[〇零一二三四五六七八九]{4})[^（）()]*[)）]\s*$")
_VERSION_PARENS = re.compile(r"\s*[（(][^（）()]{0,12}(?:修订|修正|修改|版)[^（）()]{0,4}[)）]\s*$")
_ISO = re.compile(r"(?<!\d)(?P<y>\d{4})[-./_](?P<m>\d{1,2})[-./_](?P<d>\d{1,2})(?!\d)")
_CN_DATE = re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
_CN_YEAR_DATE = re.compile(
    r"(?P<y>[〇零一二三四五六七八九]{4})年(?P<m>[一二三四五六七八九十]{1,2})月(?P<d>[一二三四五六七八九十]{1,3})日"
)
_VERB = re.compile(r"(修订|修正|通过|公布|发布|印发|施行|颁布|批准)")
_SPACES = re.compile(r"\s+")


def work_from_title(title: str) -> str:
    """中华人民共和国职业教育法 → 职业教育法; 北京市实施《中华人民共和国职业教育法》办法 → 北京市实施职业教育法办法;
    a trailing date or version in parentheses is dropped (…法（2022年修订）→ …法)."""
    name = _SPACES.sub("", title)
    while True:
        stripped = _VERSION_PARENS.sub("", _DATE_PARENS.sub("", name))
        if stripped == name:
            break
        name = stripped
    return name.replace(_PRC, "").replace("《", "").replace("》", "") or name


def title_from_source(source: str) -> str:
    """职业教育法(2022-04-20).md → 职业教育法(2022-04-20) (the work name then drops the date)."""
    return Path(source).stem


def work_of(doc: Document) -> str:
    filled = getattr(doc, "work", None)
    if isinstance(filled, str) and filled:
        return filled
    return work_from_title(doc.title or title_from_source(doc.source))


def version_date_of(doc: Document) -> str | None:
    """The contract's `version_date`, else a date in the file name or the title's parentheses, else the
    document's date (for a law, its latest adoption or revision date in the header)."""
    filled = getattr(doc, "version_date", None)
    if isinstance(filled, str) and filled:
        return filled
    for text in (Path(doc.source).stem, doc.title):
        found = iso_date(text)
        if found:
            return found
    return doc.date


def status_of(doc: Document) -> VersionStatus | None:
    """The contract's `status` when ingest wrote it; None means: work it out from the versions.

    `Document.status` defaults to "current" for every document, so it says something only where ingest
    read the document as a version of a work (`work` written; ingest/versions.py then recomputes the
    statuses of the work's versions). A document stored without the library fields gets its status from
    the versions derived here."""
    if not getattr(doc, "work", None):
        return None
    filled = getattr(doc, "status", None)
    return filled if filled in ("current", "superseded") else None


def iso_date(text: str) -> str | None:
    """The first date in text as YYYY-MM-DD: 2022-04-20, 2022.4.20, 2022年4月20日, 二〇二二年四月二十日."""
    for pattern in (_ISO, _CN_DATE, _CN_YEAR_DATE):
        m = pattern.search(text)
        if m:
            y, mo, d = (parse_number(m.group(g)) for g in ("y", "m", "d"))
            if y and mo and d and 1 <= mo <= 12 and 1 <= d <= 31:
                return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def chinese_date(iso: str) -> str:
    """2022-04-20 → 2022年4月20日."""
    y, m, d = iso.split("-")
    return f"{int(y)}年{int(m)}月{int(d)}日"


def version_label(iso: str | None, front: str) -> str:
    """How the version is named: the date and what happened on it, read from the header line that
    carries the date (2022年4月20日…修订 → 2022年4月20日修订); 2022年4月20日版 when no line says."""
    if not iso:
        return ""
    written = chinese_date(iso)
    for line in front.splitlines():
        if iso_date(line) == iso:
            verbs = _VERB.findall(line)
            if verbs:
                return f"{written}{verbs[-1]}"
    return f"{written}版"
