"""Document metadata: title, issuers, 文号, dates, publication marker, and the region a document speaks for."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from ingest.knowledge import KnowledgeBase
from ingest.models import CleanDocument, DocumentMetadata, LoadedDocument
from ingest.orgs import OrgRecogniser
from ingest.targets import chinese_number

DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}[〔\[［(（【]\s*\d{4}\s*[〕\]］)）】]\s*\d{1,4}\s*号")
PUBLICATION = re.compile(r"[（(]?\s*此件(?P<kind>主动公开|依申请公开|不予公开|公开发布)\s*[）)]?")
_YEAR = r"(?:\d{4}|[〇零一二三四五六七八九]{4})"
_MD = r"\d{1,2}|[一二三四五六七八九十]{1,3}"
_DATE = re.compile(rf"(?P<y>{_YEAR})年(?P<m>{_MD})月(?P<d>{_MD})日")
_DATE_LINE = re.compile(rf"^[（(]?{_DATE.pattern}[）)]?$")
_TITLE_END = re.compile(
    r"(通知|意见|实施意见|方案|实施方案|计划|行动计划|办法|规划|决定|条例|细则|纲要|规定|批复|报告|公告|通告|指南|"
    r"要点|标准|法|函)(（[^）]{2,20}）|\([^)]{2,20}\))?$"
)
_LEGISLATURE = re.compile(
    r"(?:(?<=日)|(?<![\u4e00-\u9fff]))(?P<region>(?!日)[\u4e00-\u9fff]{2,8}?(?:省|市|自治区))?第[一二三四五六七八九十]+届(?P<national>全国)?人民代表大会常务委员会"
)
_STATE_COUNCIL_ORDER = re.compile(r"国务院令第")
_CN_YEAR_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")


def is_date_line(text: str) -> bool:
    return bool(_DATE_LINE.match(text.strip()))


def is_title_line(text: str) -> bool:
    text = text.strip()
    if not 6 <= len(text) <= 100 or re.search("[，。；：]", text) or text[0].isdigit():
        return False
    return bool(_TITLE_END.search(text)) and ("关于" in text or len(text) <= 60)


def iso_date(match: re.Match[str]) -> str | None:
    year = match.group("y").translate(_CN_YEAR_DIGITS)
    month = int(match.group("m")) if match.group("m").isdigit() else chinese_number(match.group("m"))
    day = int(match.group("d")) if match.group("d").isdigit() else chinese_number(match.group("d"))
    if month is None or day is None or not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year}-{month:02d}-{day:02d}"


def find_dates(text: str) -> list[str]:
    return [d for d in (iso_date(m) for m in _DATE.finditer(text)) if d]


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
    title = _title(loaded, clean)
    issuers = list(clean.issuer_lines)
    for p in clean.tail:  # a signature block names the issuers when the header did not
        for m in orgs.find(p.text, region):
            if m.kind in ("government", "group") and m.canonical not in issuers:
                issuers.append(m.canonical)
    if not issuers and "关于" in title:
        issuers = [m.canonical for m in orgs.find(title.split("关于")[0], region) if m.kind == "government"]
    front_text = "\n".join([*clean.title_lines, *(p.text for p in clean.front)])
    if not issuers:
        issuers = _legislature(front_text)
    tail_text = "\n".join(p.text for p in clean.tail)
    number = DOC_NUMBER.search(front_text) or DOC_NUMBER.search(tail_text)
    publication = None
    for line in clean.report.metadata_lines:
        pm = PUBLICATION.search(line)
        if pm:
            publication = pm.group("kind")
    front_dates = find_dates(front_text)
    tail_dates = find_dates(tail_text)
    dates = sorted(set(front_dates + tail_dates))
    date = tail_dates[-1] if tail_dates else (max(front_dates) if front_dates else None)
    return DocumentMetadata(
        title=title,
        issuers=issuers,
        doc_number=re.sub(r"\s+", "", number.group()) if number else None,
        date=date,
        dates=dates,
        publication=publication,
        region=region,
    )


def _title(loaded: LoadedDocument, clean: CleanDocument) -> str:
    if clean.title_lines:
        return "".join(clean.title_lines)[:120]
    if loaded.title_hint:
        return loaded.title_hint.strip()[:120]
    from_name = title_from_name(loaded.source)
    if from_name:
        return from_name
    first = clean.body[0].text if clean.body else Path(loaded.source).stem
    return re.split("[，。；]", first, maxsplit=1)[0][:40]


def _legislature(text: str) -> list[str]:
    """Laws name their legislature in the promulgation lines instead of an issuer block."""
    out: list[str] = []
    for m in _LEGISLATURE.finditer(text):
        region = "全国" if m.group("national") else m.group("region") or ""
        name = f"{region}人民代表大会常务委员会"
        if name not in out and name != "人民代表大会常务委员会":
            out.append(name)
    if not out and _STATE_COUNCIL_ORDER.search(text):
        out.append("国务院")
    return out
