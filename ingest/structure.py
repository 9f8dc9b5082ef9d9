"""Headings → a section tree. Chinese official documents number their levels 一、 / （一） / 1. / （1）;
laws use 第X编 / 第X章 / 第X节 / 第X条; Markdown uses #. Depth follows the marker kind, so a document
that skips a level or restarts its numbering still nests sensibly, and a heading that repeats the one
already open (三、主要任务 twice, a page-break artefact) continues that section instead of opening a twin.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from ingest.models import CleaningReport, Paragraph, PlacedParagraph, SectionNode, StructuredDocument

_CN_NUM = "零〇一二三四五六七八九十百千"
# 第二百六十二条之二 is an article of its own, inserted after 第二百六十二条 (never filed under it).
_LAW = re.compile(
    rf"^第(?P<n>[{_CN_NUM}\d]+)(?P<kind>编|章|节|条)(?P<sub>之[{_CN_NUM}]+)?(?:\s+|(?=[\u4e00-\u9fff（(])|$)(?P<rest>.*)$"
)
_MD = re.compile(r"^(?P<hashes>#{1,6})\s*(?P<rest>\S.*)$")
_LIST_MARKERS: list[tuple[str, re.Pattern[str]]] = [
    ("cn", re.compile(r"^(?P<n>[一二三四五六七八九十]{1,3})[、.．]\s*(?P<rest>.*)$")),
    ("paren_cn", re.compile(r"^[（(](?P<n>[一二三四五六七八九十]{1,3})[）)]\s*(?P<rest>.*)$")),
    ("num", re.compile(r"^(?P<n>\d{1,2})(?:[.．、](?!\d))\s*(?P<rest>.*)$")),
    ("paren_num", re.compile(r"^[（(](?P<n>\d{1,2})[）)]\s*(?P<rest>.*)$")),
]
RANK = {"编": 10, "章": 11, "节": 12, "条": 13, "cn": 20, "paren_cn": 21, "num": 22, "paren_num": 23}
_SENTENCE_END = re.compile(r"[。；！？!?;]")
HEADING_ONLY_MAX = 30  # a numbered line longer than this, or with a second sentence, carries content


class Marker(BaseModel):
    kind: str  # 编/章/节/条, cn, paren_cn, num, paren_num, md1..md6
    label: str  # the path segment
    rest: str  # the text after the marker
    rank: int


def parse_marker(text: str) -> Marker | None:
    md = _MD.match(text)
    if md:
        inner = md.group("rest").strip()
        law = _LAW.match(inner)
        if law and law.group("kind") != "条":
            return Marker(kind=law.group("kind"), label=_law_label(law), rest=law.group("rest").strip(),
                          rank=RANK[law.group("kind")])  # fmt: skip
        depth = len(md.group("hashes"))
        return Marker(kind=f"md{depth}", label=inner[:20], rest=inner, rank=depth)
    law = _LAW.match(text)
    if law:
        rest = law.group("rest").strip()
        if law.group("kind") != "条" and (len(rest) > 30 or _SENTENCE_END.search(rest)):
            return None  # 第三章规定的… is prose that starts with a reference, not a heading
        return Marker(kind=law.group("kind"), label=_law_label(law), rest=rest,
                      rank=RANK[law.group("kind")])  # fmt: skip
    for kind, pattern in _LIST_MARKERS:
        m = pattern.match(text)
        if m and m.group("rest"):
            n = m.group("n")
            label = f"（{n}）" if kind.startswith("paren") else n
            return Marker(kind=kind, label=label, rest=m.group("rest").strip(), rank=RANK[kind])
    return None


def _law_label(m: re.Match[str]) -> str:
    return f"第{m.group('n')}{m.group('kind')}{m.group('sub') or ''}"


def heading_text(marker: Marker) -> str:
    if marker.kind == "条":
        return marker.label
    if marker.kind in ("编", "章", "节"):
        return f"{marker.label} {marker.rest}".strip()
    first = _SENTENCE_END.split(marker.rest, maxsplit=1)[0].strip().rstrip("，,：:")
    return first if len(first) <= 60 else first[:60] + "…"


def is_heading_only(marker: Marker) -> bool:
    if marker.kind in ("编", "章", "节") or marker.kind.startswith("md"):
        return True
    if marker.kind == "条":
        return not marker.rest
    body = marker.rest.rstrip("。；;")
    return len(body) <= HEADING_ONLY_MAX and not _SENTENCE_END.search(body)


def build_structure(paragraphs: list[Paragraph], report: CleaningReport | None = None) -> StructuredDocument:
    sections: list[SectionNode] = []
    by_key: dict[str, SectionNode] = {}
    stack: list[tuple[int, SectionNode]] = []  # (rank, section) from the root down
    placed: list[PlacedParagraph] = []
    for para in paragraphs:
        marker = parse_marker(para.text)
        # Inside a law article, (一)/(1) enumerate the article's items: they stay its content.
        in_article = any(s.marker_kind == "条" for _, s in stack)
        if marker is None or (in_article and marker.rank > RANK["条"]):
            placed.append(PlacedParagraph(text=para.text, section_key=stack[-1][1].key if stack else None))
            continue
        heading = heading_text(marker)
        reopened: SectionNode | None = None
        while stack and stack[-1][0] >= marker.rank:
            rank, open_section = stack.pop()
            if rank == marker.rank and open_section.label == marker.label and open_section.heading == heading:
                reopened = open_section  # the same heading again (a page-header echo): continue it
                break
        if reopened is not None:
            if report is not None:
                report.repeated_headings_merged.append(f"{reopened.key} {heading}")
            stack.append((marker.rank, reopened))
        else:
            parent = stack[-1][1] if stack else None
            key = f"{parent.key}/{marker.label}" if parent else marker.label
            if key in by_key:  # inconsistent numbering: a second （一） under the same parent
                n = 2
                while f"{key}#{n}" in by_key:
                    n += 1
                key = f"{key}#{n}"
            node = SectionNode(
                key=key,
                label=marker.label,
                heading=heading,
                marker_kind=marker.kind,
                level=len(stack) + 1,
                order=len(sections),
                parent_key=parent.key if parent else None,
            )
            sections.append(node)
            by_key[key] = node
            stack.append((marker.rank, node))
        placed.append(
            PlacedParagraph(text=para.text, section_key=stack[-1][1].key, is_heading_only=is_heading_only(marker))
        )
    return StructuredDocument(sections=sections, paragraphs=placed)
