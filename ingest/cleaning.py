"""Cleaning: raw extracted text → front matter, body paragraphs and tail, with a report of every change.

Order matters: normalise characters, drop page artefacts, rejoin broken sentences, then split off the
header (title, 文号, the issuer block — collapsed to one copy) and the closing signature block, and
finally drop repeated paragraphs from the body.
"""

from __future__ import annotations

import re
from collections import Counter

from pydantic import BaseModel

from ingest.dates import find_dates, is_date_line
from ingest.dedup import find_duplicates
from ingest.header import format_row, read_header
from ingest.metadata import DOC_NUMBER, PUBLICATION, is_title_line
from ingest.models import (
    CleanDocument,
    CleaningReport,
    DroppedText,
    HeaderFields,
    JoinedLines,
    LoadedDocument,
    Paragraph,
    Signature,
)
from ingest.normalize import normalise_text
from ingest.orgs import OrgRecogniser
from ingest.structure import is_heading_only, parse_marker

_TERMINAL = "。！？；!?;…”）)】》：:"
_CONTINUES = "、，,（(“《—"  # a line ending in one of these is cut mid-sentence
_PAGE_NUMBER = re.compile(
    r"^[-—–－~\s]*(?:第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?|\d{1,4}(?:\s*/\s*\d{1,4})?)[-—–－~\s]*$"
)
_HTML_COMMENT = re.compile(r"^<!--.*-->$")
_BREADCRUMB = re.compile(r"^(?:当前位置[:：]?\s*)?(?:首页|主页|网站首页)\s*[>＞»/]")  # 首页>省教育厅>信息公开
_MASTHEAD_MAX = 4  # 湖 南 left over from a letterhead
_WRAP_MIN = 20  # shorter unpunctuated lines are names, titles or headings, not wrapped prose


class _Line(BaseModel):
    no: int
    text: str
    blank_before: bool


def _org_only(text: str, orgs: OrgRecogniser, doc_region: str | None) -> list[str] | None:
    """The canonical names when the line is nothing but organisation names (an issuer line)."""
    mentions = orgs.find(text, doc_region)
    if not mentions:
        return None
    covered = sum(m.end - m.start for m in mentions)
    rest = re.sub(r"[\s、，,;；]", "", text)
    if covered >= len(rest) * 0.9 and all(m.kind == "government" or m.kind == "group" for m in mentions):
        return [m.canonical for m in mentions]
    if text.endswith("文件") and covered >= (len(rest) - 2) * 0.9:  # 湖南省教育厅文件 masthead
        return [m.canonical for m in mentions]
    return None


def _is_structural(text: str) -> bool:
    """A line that starts something of its own: never the second half of a broken sentence."""
    return (
        parse_marker(text) is not None
        or is_date_line(text)
        or bool(DOC_NUMBER.fullmatch(text))
        or bool(PUBLICATION.fullmatch(text))
    )


def _heading_only(text: str) -> bool:
    marker = parse_marker(text)
    return marker is not None and is_heading_only(marker)


def _join_lines(lines: list[_Line], report: CleaningReport, issuer_like: set[int]) -> list[Paragraph]:
    """Rejoin a sentence the source broke: across a blank line only when the first piece ends in a
    mid-sentence mark (、，（“《); across a plain line break also when it just stops without one."""
    out: list[Paragraph] = []
    prev: _Line | None = None
    for line in lines:
        if prev is not None and out:
            tail = out[-1].text
            joinable = (
                not _is_structural(line.text)
                and line.no not in issuer_like
                and prev.no not in issuer_like
                and not is_date_line(tail)
                and not is_title_line(tail)
            )
            reason = None
            if joinable and tail[-1] in _CONTINUES:
                reason = f"line ends with {tail[-1]!r}, mid-sentence"
            elif (
                joinable
                and not line.blank_before
                and tail[-1] not in _TERMINAL
                and len(tail) >= _WRAP_MIN
                and not _heading_only(tail)
            ):
                reason = "line stops without a sentence end and the next line goes on"
            if reason is not None:
                report.joined.append(
                    JoinedLines(line=prev.no, next_line=line.no, across_blank_line=line.blank_before,
                                before=tail[-12:], after=line.text[:12], reason=reason)
                )  # fmt: skip
                out[-1] = Paragraph(text=tail + line.text, line=out[-1].line)
                prev = line
                continue
        out.append(Paragraph(text=line.text, line=line.no))
        prev = line
    return out


def _drop_artefacts(lines: list[_Line], report: CleaningReport, issuer_like: set[int]) -> list[_Line]:
    """Markup, page numbers and running headers; issuer lines are left to the issuer-block logic."""
    kept: list[_Line] = []
    counts = Counter(
        line.text
        for line in lines
        if len(line.text) <= 30 and parse_marker(line.text) is None and line.no not in issuer_like
    )
    seen: set[str] = set()
    for line in lines:
        if _HTML_COMMENT.match(line.text) or _BREADCRUMB.match(line.text):
            report.dropped.append(DroppedText(kind="markup", text=line.text, line=line.no))
            continue
        if _PAGE_NUMBER.match(line.text):
            report.dropped.append(DroppedText(kind="page_number", text=line.text, line=line.no))
            continue
        # A short line on every page is a running header; keep its first copy (it may be the title).
        if counts[line.text] >= 3 and line.text in seen and not is_date_line(line.text):
            report.dropped.append(DroppedText(kind="running_header", text=line.text, line=line.no))
            continue
        seen.add(line.text)
        kept.append(line)
    return kept


def _header(
    loaded: LoadedDocument, raw: list[str], report: CleaningReport
) -> tuple[HeaderFields, list[Paragraph], set[int]]:
    """The header table: from the page's HTML when the loader read one, completed from the label/value
    lines at the top of the text. Returns the fields, the rows as front paragraphs, and the text lines used."""
    page_rows = ["\n".join(normalise_text(row))[:2000] for row in loaded.header_lines]
    from_page, _ = read_header(page_rows)
    from_text, used = read_header(raw)
    header = from_page.model_copy()
    for key, value in from_text.model_dump(exclude={"problems"}).items():
        if getattr(header, key) is None and value is not None:
            setattr(header, key, value)
    header.problems = list(dict.fromkeys([*from_page.problems, *from_text.problems]))
    rows = page_rows or [raw[i] for i in sorted(used)]
    front = [Paragraph(text=format_row(r), line=0) for r in rows if format_row(r)]
    for i in sorted(used):
        report.metadata_lines.append(raw[i])
    return header, front, {i + 1 for i in used}


def _signatures(paragraphs: list[Paragraph], orgs: OrgRecogniser, doc_region: str | None) -> list[Signature]:
    """落款 blocks: one or more lines of nothing but organisation names, then a date line."""
    out: list[Signature] = []
    run: list[str] = []
    start = 0
    for p in paragraphs:
        names = _org_only(p.text, orgs, doc_region)
        if names is not None:
            if not run:
                start = p.line
            run.extend(n for n in names if n not in run)
            continue
        if run and is_date_line(p.text):
            dates = find_dates(p.text)
            out.append(Signature(issuers=run, date=dates[0] if dates else None, line=start))
        run = []
    return out


def clean(loaded: LoadedDocument, orgs: OrgRecogniser, doc_region: str | None) -> CleanDocument:
    report = CleaningReport(source=loaded.source, format=loaded.format, encoding=loaded.encoding,
                            chars_in=len(loaded.text))  # fmt: skip
    raw = normalise_text(loaded.text, report.normalisation)
    header, header_front, header_lines = _header(loaded, raw, report)
    lines: list[_Line] = []
    blank = False
    for no, text in enumerate(raw, start=1):
        if not text or text == "\f" or no in header_lines:
            blank = True
            continue
        lines.append(_Line(no=no, text=text, blank_before=blank))
        blank = False
    issuer_like = {line.no for line in lines if _org_only(line.text, orgs, doc_region)}
    lines = _drop_artefacts(lines, report, issuer_like)
    paragraphs = _join_lines(lines, report, issuer_like)

    # --- header zone: everything before the first heading or prose paragraph -------------------
    body_start = next((i for i, p in enumerate(paragraphs) if _is_body(p.text)), len(paragraphs))
    signatures = _signatures(paragraphs, orgs, doc_region)
    front: list[Paragraph] = list(header_front)
    issuers: list[str] = []
    titles: list[str] = []
    for p in paragraphs[:body_start]:
        names = _org_only(p.text, orgs, doc_region)
        if names is not None:
            report.issuer_lines_seen += 1
            new = [n for n in names if n not in issuers]
            if not new:
                report.dropped.append(DroppedText(kind="repeated_issuer_line", text=p.text, line=p.line))
            issuers.extend(new)
        elif p.text.startswith("# ") or is_title_line(p.text):
            title = p.text.lstrip("# ").strip()
            if title in titles:  # a page that shows its title twice (heading and first line)
                report.dropped.append(DroppedText(kind="repeated_title", text=p.text, line=p.line))
            else:
                titles.append(title)
        elif len(p.text) <= _MASTHEAD_MAX and not is_date_line(p.text):
            report.dropped.append(DroppedText(kind="masthead_fragment", text=p.text, line=p.line))
        else:
            front.append(p)

    # --- tail: signature block and closing metadata ---------------------------------------------
    body = paragraphs[body_start:]
    tail: list[Paragraph] = []
    while body and (is_date_line(body[-1].text) or PUBLICATION.fullmatch(body[-1].text)
                    or _org_only(body[-1].text, orgs, doc_region) is not None):  # fmt: skip
        tail.insert(0, body.pop())
    for p in [*front, *tail]:
        if PUBLICATION.fullmatch(p.text) or DOC_NUMBER.fullmatch(p.text):
            report.metadata_lines.append(p.text)
    front = [p for p in front if not PUBLICATION.fullmatch(p.text)]
    tail = [p for p in tail if not PUBLICATION.fullmatch(p.text)]

    # --- body: issuer lines repeated as page headers, then repeated paragraphs --------------------
    kept_body: list[Paragraph] = []
    for p in body:
        if PUBLICATION.fullmatch(p.text):  # （此件公开发布） after a 落款 in the middle of a page
            report.metadata_lines.append(p.text)
            continue
        names = _org_only(p.text, orgs, doc_region)
        if names is not None and set(names) <= set(issuers):
            report.issuer_lines_seen += 1
            report.dropped.append(DroppedText(kind="repeated_issuer_line", text=p.text, line=p.line))
            continue
        kept_body.append(p)
    dropped_idx: set[int] = set()
    for hit in find_duplicates([p.text for p in kept_body]):
        dropped_idx.add(hit.index)
        report.dropped.append(
            DroppedText(
                kind="duplicate_paragraph" if hit.similarity >= 1.0 else "near_duplicate_paragraph",
                text=kept_body[hit.index].text,
                line=kept_body[hit.index].line,
                duplicate_of_line=kept_body[hit.of_index].line,
                similarity=hit.similarity,
            )
        )
    body = [p for i, p in enumerate(kept_body) if i not in dropped_idx]
    report.issuers_kept = list(issuers)
    report.chars_out = sum(len(p.text) for p in [*front, *body, *tail]) + sum(len(t) for t in titles)
    return CleanDocument(header=header, signatures=signatures, front=front, issuer_lines=issuers, title_lines=titles,
                         body=body, tail=tail, report=report)  # fmt: skip


def _is_body(text: str) -> bool:
    marker = parse_marker(text)
    if marker is not None and not marker.kind.startswith("md1"):
        return True
    if is_title_line(text) or is_date_line(text) or DOC_NUMBER.fullmatch(text):
        return False
    return len(text) >= 20 and bool(re.search("[，。；]", text))
