"""What a document is (法律, 行政法规, 地方性法规, 部门规章, 规划, 通知, 意见, 方案, 办法, 新闻, 其他), and the
name of the work its versions share.

Read from what the text shows, in this order: who made a law (the promulgation lines: 全国人民代表大会 →
法律, 国务院 → 行政法规, a provincial or city people's congress → 地方性法规, a ministry's or government's
令 → 规章); then the title's last word (…的通知, …实施意见, …行动计划); then the marks of a news item
(an "XX讯" dateline, a reporter, a 来源/编辑 byline); else 其他.
"""

from __future__ import annotations

import re

from graph.models import DocumentKind
from ingest.models import VersionLine

_NATIONAL_LEGISLATURE = re.compile(r"全国人民代表大会")
_LOCAL_LEGISLATURE = re.compile(r"[\u4e00-\u9fff]{2,10}(?:省|市|自治区|自治州|县)人民代表大会")
_STATE_COUNCIL = re.compile(r"国务院(?:令|发布|第\d+次常务会议|常务会议|批准|公布|关于修改)")
# 规章: a ministry's decree (教育部令第X号) or a local government's (X省人民政府令). The schema's one 规章 kind
# is 部门规章, so a local government's 规章 is filed there too.
_RULE_DECREE = re.compile(r"(?:部|委员会|总局|署|局|人民政府)令第?[\d一二三四五六七八九十百]+号")
_LAW_TITLE = re.compile(r"^(?:中华人民共和国)?[\u4e00-\u9fff]{2,20}法$")
_TITLE_KINDS: list[tuple[re.Pattern[str], DocumentKind]] = [
    (re.compile(r"(通知|通告|公告|公示)$"), "通知"),
    (re.compile(r"意见$"), "意见"),
    (re.compile(r"方案$"), "方案"),
    (re.compile(r"(规划|纲要|计划)$"), "规划"),
    (re.compile(r"(办法|细则|规定|规则|规程)$"), "办法"),
]
_NEWS_MARKS = re.compile(
    r"本报讯|\d日讯|客户端讯|网讯|[讯电]\s*[（(]\s*(?:记者|通讯员)|[（(]\s*记者|记者[\u4e00-\u9fff]{2,4}(?:报道|摄)|"
    r"通讯员[\u4e00-\u9fff]{2,4}|责任编辑|编辑[:：]|来源[:：][^\n]{0,20}(?:网|报|新闻|客户端|电视台)"
)
# Trailing parentheses that name a version or a period, not the work: （2022年修订）（试行）(2018-12-29).
_VERSION_PAREN = re.compile(
    r"[（(](?:[^（）()]*(?:\d{4}|年|修订|修正|试行|暂行|草案|征求意见稿|送审稿)[^（）()]*)[）)]$"
)
_SPACES = re.compile(r"\s+")


def work_of(title: str) -> str:
    """The work a title names, the same for every version: 中华人民共和国职业教育法 → 职业教育法,
    职业学校学生实习管理规定（试行） → 职业学校学生实习管理规定, 北京市实施《中华人民共和国职业教育法》办法 →
    北京市实施《职业教育法》办法."""
    work = _SPACES.sub("", title).replace("(", "（").replace(")", "）")
    work = re.sub(r"^中华人民共和国(?=.)", "", work).replace("《中华人民共和国", "《")
    while (m := _VERSION_PAREN.search(work)) is not None and m.start() > 0:
        work = work[: m.start()]
    return work


def legal_kind(steps: list[VersionLine], issuers: list[str], title: str) -> DocumentKind | None:
    """法律 / 行政法规 / 地方性法规 / 部门规章 from who made it; None when nothing says it is law."""
    made_by = " ".join([*(s.text for s in steps), *issuers])
    if steps and _NATIONAL_LEGISLATURE.search(made_by):
        return "法律"
    if steps and _LOCAL_LEGISLATURE.search(made_by):
        return "地方性法规"
    if _RULE_DECREE.search(made_by) and not _STATE_COUNCIL.search(made_by):
        return "部门规章"
    if steps and (_STATE_COUNCIL.search(made_by) or "国务院" in issuers):
        return "行政法规"
    national = title.startswith("中华人民共和国") or any("全国人民代表大会" in i for i in issuers)
    if national and _LAW_TITLE.match(work_of(title)):
        return "法律"
    return None


def looks_like_news(head: str) -> bool:
    """The first lines of a text carry a news dateline, a reporter or an editor's byline."""
    return bool(_NEWS_MARKS.search(head))


def document_kind(title: str, steps: list[VersionLine], issuers: list[str], head: str,
                  has_number_or_signature: bool) -> DocumentKind:  # fmt: skip
    legal = legal_kind(steps, issuers, title)
    if legal is not None:
        return legal
    work = work_of(title)
    by_title = next((kind for pattern, kind in _TITLE_KINDS if pattern.search(work)), None)
    if work.endswith("条例"):
        by_title = "地方性法规" if any("人民代表大会" in i for i in issuers) else "办法"
    if by_title is not None and (has_number_or_signature or not looks_like_news(head)):
        return by_title
    if looks_like_news(head):
        return "新闻"
    return by_title or "其他"
