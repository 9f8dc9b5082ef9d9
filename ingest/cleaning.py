"""Cleaning: raw extracted text → front matter, body paragraphs and tail, with a report of every change.

Order matters: normalise characters, drop page artefacts, rejoin broken sentences, then split off the
header (title, 文号, the issuer block — collapsed to one copy) and the closing signature block, and
finally drop from the body the issuer lines repeated as page headers and the repeated paragraphs. `clean`
runs these passes in that order; each is a function below.
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


class _Header(BaseModel):
    """What the header zone (before the first heading or prose paragraph) holds."""

    front: list[Paragraph]
    issuers: list[str]  # canonical names, each once, in the order the header lists them
    titles: list[str]


class _IssuerLines:
    """Recognises a line that is nothing but organisation names (an issuer line or a masthead)."""

    def __init__(self, orgs: OrgRecogniser, doc_region: str | None) -> None:
        self._orgs = orgs
        self._region = doc_region

    def __call__(self, text: str) -> list[str] | None:
        """The canonical names when the line is an issuer line, else None."""
        mentions = self._orgs.find(text, self._region)
        if not mentions:
            return None
        covered = sum(m.end - m.start for m in mentions)
        rest = re.sub(r"[\s、，,;；]", "", text)
        if covered >= len(rest) * 0.9 and all(m.kind == "government" or m.kind == "group" for m in mentions):
            return [m.canonical for m in mentions]
        if text.endswith("文件") and covered >= (len(rest) - 2) * 0.9:  # 湖南省教育厅文件 masthead
            return [m.canonical for m in mentions]
        return None


def clean(loaded: LoadedDocument, orgs: OrgRecogniser, doc_region: str | None) -> CleanDocument:
    """Run the cleaning passes in order; each records what it changed in the report."""
    report = CleaningReport(source=loaded.source, format=loaded.format, encoding=loaded.encoding,
                            chars_in=len(loaded.text))  # fmt: skip
    issuer_names = _IssuerLines(orgs, doc_region)
    raw = normalise_text(loaded.text, report.normalisation)
    header_fields, header_rows, header_lines = _header_table(loaded, raw, report)
    lines = _lines(raw, skip=header_lines)
    issuer_like = {line.no for line in lines if issuer_names(line.text)}
    lines = _drop_artefacts(lines, report, issuer_like)
    paragraphs = _join_lines(lines, report, issuer_like)
    body_start = next((i for i, p in enumerate(paragraphs) if _is_body(p.text)), len(paragraphs))
    signatures = _signatures(paragraphs, issuer_names)
    header = _read_header(paragraphs[:body_start], issuer_names, report)
    body, tail = _split_off_tail(paragraphs[body_start:], issuer_names)
    front, tail = _take_metadata_lines([*header_rows, *header.front], tail, report)
    body = _drop_repeated_issuer_lines(body, header.issuers, issuer_names, report)
    body = _drop_repeated_paragraphs(body, report)
    report.issuers_kept = list(header.issuers)
    report.chars_out = sum(len(p.text) for p in [*front, *body, *tail]) + sum(len(t) for t in header.titles)
    return CleanDocument(header=header_fields, signatures=signatures, front=front, issuer_lines=header.issuers,
                         title_lines=header.titles, body=body, tail=tail, report=report)  # fmt: skip


# --- the passes, in the order clean runs them ------------------------------------------------------


def _header_table(
    loaded: LoadedDocument, raw: list[str], report: CleaningReport
) -> tuple[HeaderFields, list[Paragraph], set[int]]:
    """The header table: from the page's HTML when the loader read one, completed from the label/value
    lines at the top of the text. Returns the fields, the rows as front paragraphs, and the line numbers
    (from 1) of the text lines used."""
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


def _lines(raw: list[str], skip: set[int]) -> list[_Line]:
    """The non-blank lines, numbered from 1, each knowing whether a blank line (or page break) preceded it;
    the header-table lines (skip) count as blank."""
    lines: list[_Line] = []
    blank = False
    for no, text in enumerate(raw, start=1):
        if not text or text == "\f" or no in skip:
            blank = True
            continue
        lines.append(_Line(no=no, text=text, blank_before=blank))
        blank = False
    return lines


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


def _join_lines(lines: list[_Line], report: CleaningReport, issuer_like: set[int]) -> list[Paragraph]:
    """Rejoin the sentences the source broke (see _join_reason)."""
    out: list[Paragraph] = []
    prev: _Line | None = None
    for line in lines:
        reason = _join_reason(out[-1].text, prev, line, issuer_like) if prev is not None and out else None
        if reason is not None and prev is not None:
            tail = out[-1].text
            report.joined.append(
                JoinedLines(line=prev.no, next_line=line.no, across_blank_line=line.blank_before,
                            before=tail[-12:], after=line.text[:12], reason=reason)
            )  # fmt: skip
            out[-1] = Paragraph(text=tail + line.text, line=out[-1].line)
        else:
            out.append(Paragraph(text=line.text, line=line.no))
        prev = line
    return out


def _join_reason(tail: str, prev: _Line, line: _Line, issuer_like: set[int]) -> str | None:
    """Why `line` continues the paragraph ending in `tail` (None when it does not): across a blank line
    only when the paragraph ends in a mid-sentence mark (、，（“《); across a plain line break also when
    it just stops without one."""
    joinable = (
        not _is_structural(line.text)
        and line.no not in issuer_like
        and prev.no not in issuer_like
        and not is_date_line(tail)
        and not is_title_line(tail)
    )
    if not joinable:
        return None
    if tail[-1] in _CONTINUES:
        return f"line ends with {tail[-1]!r}, mid-sentence"
    if not line.blank_before and tail[-1] not in _TERMINAL and len(tail) >= _WRAP_MIN and not _heading_only(tail):
        return "line stops without a sentence end and the next line goes on"
    return None


def _signatures(paragraphs: list[Paragraph], issuer_names: _IssuerLines) -> list[Signature]:
    """落款 blocks: one or more lines of nothing but organisation names, then a date line."""
    out: list[Signature] = []
    run: list[str] = []
    start = 0
    for p in paragraphs:
        names = issuer_names(p.text)
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


def _read_header(paragraphs: list[Paragraph], issuer_names: _IssuerLines, report: CleaningReport) -> _Header:
    """Sort the header zone into issuers (the issuer block collapsed to one copy), titles, masthead
    fragments (dropped) and the rest of the front matter."""
    header = _Header(front=[], issuers=[], titles=[])
    for p in paragraphs:
        names = issuer_names(p.text)
        if names is not None:
            report.issuer_lines_seen += 1
            new = [n for n in names if n not in header.issuers]
            if not new:
                report.dropped.append(DroppedText(kind="repeated_issuer_line", text=p.text, line=p.line))
            header.issuers.extend(new)
        elif p.text.startswith("# ") or is_title_line(p.text):
            title = p.text.lstrip("# ").strip()
            if title in header.titles:  # a page that shows its title twice (heading and first line)
                report.dropped.append(DroppedText(kind="repeated_title", text=p.text, line=p.line))
            else:
                header.titles.append(title)
        elif len(p.text) <= _MASTHEAD_MAX and not is_date_line(p.text):
            report.dropped.append(DroppedText(kind="masthead_fragment", text=p.text, line=p.line))
        else:
            header.front.append(p)
    return header


def _split_off_tail(body: list[Paragraph], issuer_names: _IssuerLines) -> tuple[list[Paragraph], list[Paragraph]]:
    """(body, tail): the tail is the closing signature block — dates, 此件主动公开, issuer lines."""
    end = len(body)
    while end and (is_date_line(body[end - 1].text) or PUBLICATION.fullmatch(body[end - 1].text)
                   or issuer_names(body[end - 1].text) is not None):  # fmt: skip
        end -= 1
    return body[:end], body[end:]


def _take_metadata_lines(
    front: list[Paragraph], tail: list[Paragraph], report: CleaningReport
) -> tuple[list[Paragraph], list[Paragraph]]:
    """Record the 文号 and 此件主动公开 lines of front and tail; the publication lines leave the text."""
    for p in [*front, *tail]:
        if PUBLICATION.fullmatch(p.text) or DOC_NUMBER.fullmatch(p.text):
            report.metadata_lines.append(p.text)
    front = [p for p in front if not PUBLICATION.fullmatch(p.text)]
    tail = [p for p in tail if not PUBLICATION.fullmatch(p.text)]
    return front, tail


def _drop_repeated_issuer_lines(
    body: list[Paragraph], issuers: list[str], issuer_names: _IssuerLines, report: CleaningReport
) -> list[Paragraph]:
    """Issuer lines inside the body that name only header issuers: page headers repeating the block."""
    kept: list[Paragraph] = []
    for p in body:
        if PUBLICATION.fullmatch(p.text):  # （此件公开发布） after a 落款 in the middle of a page
            report.metadata_lines.append(p.text)
            continue
        names = issuer_names(p.text)
        if names is not None and set(names) <= set(issuers):
            report.issuer_lines_seen += 1
            report.dropped.append(DroppedText(kind="repeated_issuer_line", text=p.text, line=p.line))
            continue
        kept.append(p)
    return kept


def _drop_repeated_paragraphs(body: list[Paragraph], report: CleaningReport) -> list[Paragraph]:
    """Verbatim and near-verbatim repeats of an earlier paragraph (ingest.dedup finds them)."""
    dropped: set[int] = set()
    for hit in find_duplicates([p.text for p in body]):
        dropped.add(hit.index)
        report.dropped.append(
            DroppedText(
                kind="duplicate_paragraph" if hit.similarity >= 1.0 else "near_duplicate_paragraph",
                text=body[hit.index].text,
                line=body[hit.index].line,
                duplicate_of_line=body[hit.of_index].line,
                similarity=hit.similarity,
            )
        )
    return [p for i, p in enumerate(body) if i not in dropped]


# --- line tests ------------------------------------------------------------------------------------


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


def _is_body(text: str) -> bool:
    marker = parse_marker(text)
    if marker is not None and not marker.kind.startswith("md1"):
        return True
    if is_title_line(text) or is_date_line(text) or DOC_NUMBER.fullmatch(text):
        return False
    return len(text) >= 20 and bool(re.search("[，。；]", text))
