"""The promulgation lines of laws and regulations: which version this is, and who made it.

Both layouts the national database uses reach us: the lawrefbook Markdown (one line per step between the
title and `<!-- INFO END -->`: "2022年4月20日 第十三届全国人民代表大会常务委员会第三十四次会议修订）") and the
parenthesised note under the title ("（1996年5月15日第八届…通过　2022年4月20日第十三届…修订）"). A line may
hold several steps (…批准根据2020年8月28日…通过); each date starts one.
"""

from __future__ import annotations

import re

from ingest.dates import DATE, iso_date
from ingest.models import VersionLine

# The last of these words in a step says what happened on its date.
_ACTION = re.compile(r"通过|修订|修正|批准|公布|发布|颁布|印发|施行")
# Steps that make a version (施行 is when a version takes effect, not a new one).
VERSION_ACTIONS = frozenset({"通过", "修订", "修正", "批准", "公布", "发布", "颁布", "印发"})
# A step is a law's only when a law-making body or decree is named in it.
_LAW_MAKER = re.compile(r"人民代表大会|国务院|常务会议|令第|政府令|公告|决定|会议")
_MAX_STEP = 200


def version_lines(lines: list[str]) -> list[VersionLine]:
    """Every dated law-making step in `lines` (the front matter of a document), in order."""
    out: list[VersionLine] = []
    for line in lines:
        text = line.strip().strip("（）()")
        dates = list(DATE.finditer(text))
        for k, m in enumerate(dates):
            end = dates[k + 1].start() if k + 1 < len(dates) else len(text)
            step = text[m.start() : end].strip(" 　，,；;")
            iso = iso_date(m)
            actions = _ACTION.findall(step)
            if iso is None or not actions or len(step) > _MAX_STEP:
                continue
            if not _LAW_MAKER.search(step) and actions[-1] != "施行":
                continue
            out.append(VersionLine(date=iso, action=actions[-1], text=step.rstrip("）)")))
    return out


def version_date(steps: list[VersionLine]) -> str | None:
    """The date of the version the text is: its latest adoption, revision, amendment or promulgation."""
    dates = [s.date for s in steps if s.action in VERSION_ACTIONS]
    return max(dates) if dates else None
