"""Document metadata: title, issuers, 文号, dates, kind, work and version, publication marker, region.

Read from the patterns real files use: a gov.cn header table (ingest/header.py), the title lines and the
文号 line, the 落款 (issuer lines and their date), the promulgation lines of a law (ingest/laws.py), the
page's own title and date (ingest/html_loader.py). What cannot be read stays empty and is named in
`warnings`; reading metadata never fails a document.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from ingest.dates import find_dates, is_date_line, parse_date
from ingest.doc_kind import document_kind, looks_like_news, work_of
from ingest.knowledge import KnowledgeBase
from ingest.laws import version_date, version_lines
from ingest.models import CleanDocument, DocumentMetadata, LoadedDocument
from ingest.orgs import OrgRecogniser

__all__ = ["DOC_NUMBER", "PUBLICATION", "extract_metadata", "guess_region", "is_date_line", "is_title_line"]

DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}[〔\[［(（【]\s*\d{4}\s*[〕\]］)）】]\s*\d{1,4}\s*号")
PUBLICATION = re.compile(r"[（(]?\s*此件(?P<kind>主动公开|依申请公开|不予公开|公开发布)\s*[）)]?")
_TITLE_END = re.compile(
    r"(通知|意见|实施意见|方案|实施方案|计划|行动计划|办法|规划|决定|条例|细则|纲要|规定|批复|报告|公告|通告|指南|"
    r"要点|标准|法|函)(（[^）]{2,20}）|\([^)]{2,20}\))?$"
)
_LEGISLATURE = re.compile(
    r"(?:(?<=日)|(?<![\u4e00-\u9fff]))(?P<region>(?!日)[\u4e00-\u9fff]{2,8}?(?:省|市|自治区))?第[一二三四五六七八九十]+届(?P<national>全国)?人民代表大会常务委员会"
)
_STATE_COUNCIL = re.compile(r"国务院令第|国务院发布|国务院第\d+次常务会议")
# A headline (news items have no 通知/办法 ending): a short line without sentence punctuation, and not a
# breadcrumb, byline or date.
_NOT_HEADLINE = re.compile(r"[，。；：:>＞]|当前位置|首页|来源|作者|编辑|时间|日期|浏览|点击|字号")
_BYLINE = re.compile(r"(?:来源|作者|编辑|发布|时间|日期)[:：]")
_HEAD_PARAGRAPHS = 8


def is_title_line(text: str) -> bool:
    text = text.strip()
    if not 6 <= len(text) <= 100 or re.search("[，。；：>＞»]|首页|当前位置", text) or text[0].isdigit():
        return False
    return bool(_TITLE_END.search(text)) and ("关于" in text or len(text) <= 60)


def guess_region(text: str, orgs: OrgRecogniser, kb: KnowledgeBase) -> str | None:
    """The region a document speaks for: the city when every government body named is that city's,
    else the province most of its government bodies belong to."""
    mentions = [m for m in orgs.find(text[:20000]) if m.kind == "government" and m.region]
    regions = [m.region for m in mentions if m.region and m.region in kb.region_by_name]
    if not regions:
        return None
    cities = {r for r in regions if kb.region_by_name[r].level == "地级"}
    if len(cities) == 1 and all(r in cities for r in regions):
        return cities.pop()
    provinces = Counter(p for p in (kb.province_of(r) for r in regions) if p)
    return provinces.most_common(1)[0][0] if provinces else None


def title_from_name(source: str) -> str | None:
    """湖南省职业教育楚怡行动计划_五部门.txt → 湖南省职业教育楚怡行动计划; hash-like names give None."""
    stem = Path(source).stem
    parts = [p for p in re.split(r"[_\-—]+", stem) if re.search(r"[\u4e00-\u9fff]", p)]
    if not parts:
        return None
    longest = max(parts, key=len)
    return longest if len(longest) >= 4 else stem


def extract_metadata(
    loaded: LoadedDocument, clean: CleanDocument, orgs: OrgRecogniser, region: str | None
) -> DocumentMetadata:
    header = clean.header
    warnings = [*loaded.problems, *(f"header: {p}" for p in header.problems)]
    title, title_from = _title(loaded, clean)
    front_lines = [*clean.title_lines, *(p.text for p in clean.front)]
    front_text = "\n".join(front_lines)
    tail_text = "\n".join(p.text for p in clean.tail)
    steps = version_lines(front_lines)
    issuers = _issuers(clean, orgs, region, title, front_text)
    number = header.doc_number or _doc_number(front_text, tail_text, clean)
    publication = None
    for line in clean.report.metadata_lines:
        pm = PUBLICATION.search(line)
        if pm:
            publication = pm.group("kind")
    front_dates = find_dates(front_text)
    tail_dates = find_dates(tail_text)
    signed = next((s.date for s in clean.signatures if s.date), None) or (tail_dates[-1] if tail_dates else None)
    written = header.written_date or signed
    date = (
        header.published_date
        or loaded.page_date
        or _byline_date(clean)
        or version_date(steps)
        or signed
        or (max(front_dates) if front_dates else None)
    )
    head = "\n".join([*(p.text for p in [*clean.front, *clean.body][:_HEAD_PARAGRAPHS]), loaded.page_source or ""])
    kind = document_kind(title, steps, issuers, head, bool(number or clean.signatures))
    version = version_date(steps) or written or date
    if title_from in ("file name", "first sentence"):
        warnings.append(f"no title in the text: the title was taken from the {title_from}")
    if not issuers:
        warnings.append("no issuer found")
    if date is None and version is None:
        warnings.append("no date found")
    return DocumentMetadata(
        title=title,
        issuers=issuers,
        doc_number=re.sub(r"\s+", "", number) if number else None,
        date=date,
        dates=sorted({*front_dates, *tail_dates}),
        publication=publication,
        region=region,
        kind=kind,
        work=work_of(title) or None,
        version_date=version,
        written_date=written,
        subject=header.subject,
        index_no=header.index_no,
        title_from=title_from,
        versions=steps,
        warnings=warnings,
    )


# -- title ------------------------------------------------------------------------------------------------
def _title(loaded: LoadedDocument, clean: CleanDocument) -> tuple[str, str]:
    """(title, where it came from). The header table's 标题 first; then the title lines of the text,
    unless the page's own title is the fuller form of them; then a news headline; the file name last."""
    if clean.header.title:
        return _undouble(clean.header.title)[:120], "header"
    hint = _undouble(loaded.title_hint.strip()) if loaded.title_hint and loaded.title_hint.strip() else None
    lines = list(dict.fromkeys(t for t in clean.title_lines if t))
    text_title = _undouble("".join(lines))[:120] if lines else None
    if text_title and hint and text_title != hint and text_title in hint:
        return hint[:120], "page"
    if text_title:
        return text_title, "text"
    if hint:
        return hint[:120], "page"
    # A headline only where the text is a news item: elsewhere a short first line is as likely an issuer
    # the tables do not know, and the file name is the safer title.
    news = looks_like_news("\n".join(p.text for p in [*clean.front, *clean.body][:_HEAD_PARAGRAPHS]))
    headline = next((p.text for p in clean.front if _is_headline(p.text)), None) if news else None
    if headline:
        return headline, "headline"
    from_name = title_from_name(loaded.source)
    if from_name:
        return from_name, "file name"
    first = clean.body[0].text if clean.body else Path(loaded.source).stem
    return re.split("[，。；]", first, maxsplit=1)[0][:40], "first sentence"


def _undouble(title: str) -> str:
    """关于X的通知关于X的通知 (a title that a page shows twice, joined) → 关于X的通知."""
    compact = re.sub(r"\s+", "", title)
    half = len(compact) // 2
    if len(compact) % 2 == 0 and half >= 4 and compact[:half] == compact[half:]:
        return compact[:half]
    return title


def _is_headline(text: str) -> bool:
    han = len(re.findall(r"[\u4e00-\u9fff]", text))
    return han >= 6 and len(text) <= 60 and not _NOT_HEADLINE.search(text) and not is_date_line(text)


# -- issuers, number, dates ----------------------------------------------------------------------------------
def _issuers(clean: CleanDocument, orgs: OrgRecogniser, region: str | None, title: str, front_text: str) -> list[str]:
    """The issuer block of the header, the 落款 and the signature lines at the end, the header table's
    发文机关 (教育部等九部门 names one of the nine); failing those, the body named in the title before 关于,
    or the legislature of a law."""
    issuers = list(clean.issuer_lines)

    def add(names: list[str]) -> None:
        issuers.extend(n for n in names if n not in issuers)

    for signature in clean.signatures:
        add(signature.issuers)
    for p in clean.tail:  # a signature block names the issuers when the header did not
        add([m.canonical for m in orgs.find(p.text, region) if m.kind in ("government", "group")])
    if clean.header.issuer_text:
        add([m.canonical for m in orgs.find(clean.header.issuer_text, region) if m.kind in ("government", "group")])
    if not issuers and "关于" in title:
        issuers = [m.canonical for m in orgs.find(title.split("关于")[0], region) if m.kind == "government"]
    if not issuers:
        issuers = _legislature(front_text)
    return issuers


def _doc_number(front_text: str, tail_text: str, clean: CleanDocument) -> str | None:
    """The 文号 line: in the header zone, at the end, or standing alone near the top of the body (a page
    whose notice text starts before its 文号 line)."""
    number = DOC_NUMBER.search(front_text) or DOC_NUMBER.search(tail_text)
    if number is None:
        number = next((m for p in clean.body[:_HEAD_PARAGRAPHS] if (m := DOC_NUMBER.fullmatch(p.text))), None)
    return number.group() if number else None


def _byline_date(clean: CleanDocument) -> str | None:
    """The date of a page byline near the top: 发布时间：2022-04-08, 来源：红网 … 2023-01-11 10:15."""
    for p in clean.front[:_HEAD_PARAGRAPHS]:
        if _BYLINE.search(p.text):
            date = parse_date(p.text)
            if date:
                return date
    return None


def _legislature(text: str) -> list[str]:
    """Laws name their legislature in the promulgation lines instead of an issuer block."""
    out: list[str] = []
    for m in _LEGISLATURE.finditer(text):
        region = "全国" if m.group("national") else m.group("region") or ""
        name = f"{region}人民代表大会常务委员会"
        if name not in out and name != "人民代表大会常务委员会":
            out.append(name)
    if not out and _STATE_COUNCIL.search(text):
        out.append("国务院")
    return out
