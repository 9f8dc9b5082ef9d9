"""Dates as Chinese official texts write them → ISO dates.

2022年3月5日, 二〇二二年三月五日 (the 落款 of a formal document), 2019年01月24日 and 2020-09-23 /
2020/9/23 / 2020.09.23 (header tables and page bylines). An impossible date (2020年13月45日) is None.
"""

from __future__ import annotations

import re

from ingest.targets import chinese_number

_YEAR = r"(?:\d{4}|[〇零一二三四五六七八九]{4})"
_MD = r"\d{1,2}|[一二三四五六七八九十]{1,3}"
DATE = re.compile(rf"(?P<y>{_YEAR})\s*年\s*(?P<m>{_MD})\s*月\s*(?P<d>{_MD})\s*日")
_NUMERIC = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)")
_DATE_LINE = re.compile(rf"^[（(]?{DATE.pattern}[）)]?$")
_CN_YEAR_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")


def is_date_line(text: str) -> bool:
    return bool(_DATE_LINE.match(text.strip()))


def _iso(year: str, month: str, day: str) -> str | None:
    y = year.translate(_CN_YEAR_DIGITS)
    m = int(month) if month.isdigit() else chinese_number(month)
    d = int(day) if day.isdigit() else chinese_number(day)
    if m is None or d is None or not (1 <= m <= 12 and 1 <= d <= 31) or not y.isdigit():
        return None
    return f"{y}-{m:02d}-{d:02d}"


def iso_date(match: re.Match[str]) -> str | None:
    return _iso(match.group("y"), match.group("m"), match.group("d"))


def find_dates(text: str) -> list[str]:
    """Every 年月日 date in the text, in order."""
    return [d for d in (iso_date(m) for m in DATE.finditer(text)) if d]


def parse_date(text: str) -> str | None:
    """The first date of a header value or byline, written either way; None when there is none."""
    m = DATE.search(text) or _NUMERIC.search(text)
    return iso_date(m) if m else None


def has_date(text: str) -> bool:
    """Whether the text tries to give a date (even an impossible one)."""
    return bool(DATE.search(text) or _NUMERIC.search(text))
