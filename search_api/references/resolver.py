"""Resolves a parsed reference against the library: which work the words name (its name, a title, an
alias, or the document a request is scoped to), which version (current unless the question names a year
or 旧版/修订前), and which passages hold that article or section — or why none do."""

from __future__ import annotations

import re

from pydantic import BaseModel

from search_api.references.catalogue import DocumentOutline, Library, WorkName, squash
from search_api.references.numerals import parse_number, to_chinese
from search_api.references.parser import is_deictic
from search_api.references.schemas import (
    LAW_LEVELS,
    OUTLINE_LEVELS,
    DocumentVersion,
    QuotedPassage,
    ReferenceResolution,
    RefPart,
    StructuralReference,
    VersionHint,
)
from search_api.references.works import chinese_date

_LAW_SEGMENT = re.compile(
    r"^第(?P<n>[零〇一二两三四五六七八九十百千万\d]+)(?P<kind>编|章|节|条)(?:之(?P<sub>[一二三四五六七八九十\d]+))?$"
)
_OUTLINE_SEGMENTS = [
    ("cn", re.compile(r"^(?P<n>[一二三四五六七八九十]{1,3})$")),
    ("paren_cn", re.compile(r"^[（(](?P<n>[一二三四五六七八九十]{1,3})[）)]$")),
    ("num", re.compile(r"^(?P<n>\d{1,2})$")),
    ("paren_num", re.compile(r"^[（(](?P<n>\d{1,2})[）)]$")),
]
_ITEM = re.compile(r"^\s*[（(][一二三四五六七八九十]+[）)]")
_ARTICLE_LABEL = re.compile(r"^\s*第[零〇一二两三四五六七八九十百千万\d]+条(?:之[一二三四五六七八九十\d]+)?\s*")
# Words a question may put before a work's name without naming another work.
_QUALIFIER = re.compile(r"^(?:中华人民共和国|我国|中国|国家|新|新的)")
_TRAILING = re.compile(r"(?:里面的|里面|当中的|当中|中的|里的|的|中|里|之)$")
MIN_PARTIAL_NAME = 4  # a name written in part (楚怡行动计划) must be this long to pick a title containing it
MAX_CANDIDATES = 8


class NamedWork(BaseModel):
    """A work a question names, where it names it (offsets in the squashed question)."""

    name: WorkName
    start: int
    end: int


def segment_part(segment: str) -> RefPart | None:
    """A section path segment as a reference level: 第三十六条 → (条, 36), （一） → (paren_cn, 1)."""
    segment = segment.split("#", 1)[0]  # a second （一） under one parent is stored as （一）#2
    law = _LAW_SEGMENT.match(segment)
    if law:
        n = parse_number(law.group("n"))
        sub = parse_number(law.group("sub")) if law.group("sub") else None
        return RefPart(kind=law.group("kind"), number=n, sub=sub) if n else None  # type: ignore[arg-type]
    for kind, pattern in _OUTLINE_SEGMENTS:
        m = pattern.match(segment)
        if m:
            n = parse_number(m.group("n"))
            return RefPart(kind=kind, number=n) if n else None  # type: ignore[arg-type]
    return None


def match_depth(wanted: list[RefPart], path: str) -> int | None:
    """How many segments of `path` the reference covers when its levels appear in it in order and its
    last level is matched (第四章 covers 第四章/第三十六条 to depth 1); None when it does not match. Law
    levels may skip one (第四章第三十六条 inside 第四章/第二节/…); outline levels follow each other
    without gaps (二（一）2 is 二/（一）/2)."""
    segments = [segment_part(s) for s in path.split("/")] if path else []
    at = 0
    depth = None
    for part in wanted:
        if depth is not None and part.kind in OUTLINE_LEVELS:
            if at < len(segments) and _same(segments[at], part):
                at += 1
                depth = at
                continue
            return None
        while at < len(segments) and not _same(segments[at], part):
            at += 1
        if at == len(segments):
            return None
        at += 1
        depth = at
    return depth


def _same(segment: RefPart | None, part: RefPart) -> bool:
    return segment is not None and (segment.kind, segment.number, segment.sub) == (part.kind, part.number, part.sub)


class ReferenceResolver:
    def __init__(self, library: Library) -> None:
        self._library = library

    # -- which work ------------------------------------------------------------------------------------
    def named_works(self, question: str) -> list[NamedWork]:
        """The works a question names, longest names first where they overlap, in question order."""
        text = squash(question)
        taken = [False] * len(text)
        found: list[NamedWork] = []
        for name in self._library.names():
            start = text.find(name.key)
            while start != -1:
                end = start + len(name.key)
                if not any(taken[start:end]):
                    found.append(NamedWork(name=name, start=start, end=end))
                    for i in range(start, end):
                        taken[i] = True
                start = text.find(name.key, end)
        return sorted(found, key=lambda n: n.start)

    def work_named_by(self, ref: StructuralReference) -> tuple[str | None, list[str]]:
        """(the work the reference's words name, other works they might mean). A name as written (or
        with 中华人民共和国/我国/新 before it: 日本职业教育法 is another law), else a known name that ends
        the words before the locator (职教法), else a name written in part (楚怡行动计划) that only one
        title contains."""
        names = self._library.names()
        if ref.law is not None:
            law = _QUALIFIER.sub("", squash(ref.law))
            exact = next((n for n in names if n.key == law), None)
            if exact is not None:
                return exact.work, []
        context = _TRAILING.sub("", squash(ref.context))
        if ref.law is None:
            ending = next((n for n in names if context.endswith(n.key)), None)
            if ending is not None:
                return ending.work, []
            return None, []
        law = squash(ref.law)
        if len(law) >= MIN_PARTIAL_NAME:
            containing = sorted({n.work for n in names if law in n.key})
            if len(containing) == 1:
                return containing[0], []
            return None, containing
        return None, []

    # -- which version ---------------------------------------------------------------------------------
    def pick_version(
        self, work: str, hint: VersionHint | None, scope: DocumentVersion | None = None, locator: str = ""
    ) -> tuple[DocumentVersion | None, str]:
        """(the version meant, "") or (None, 资料中没有找到… saying which versions there are)."""
        versions = self._library.versions_of(work)
        if not versions:
            return None, f"资料中没有找到《{work}》{locator}：资料库没有收录《{work}》。"
        if hint is None and scope is not None and scope.work == work:
            return scope, ""
        current = next((v for v in versions if v.status == "current"), versions[0])
        if hint is None or hint.relative == "current":
            return current, ""
        listed = "、".join(self._library.version_label(v.id) or v.title for v in versions)
        if hint.relative == "previous":
            older = versions[versions.index(current) + 1 :]
            if older:
                return older[0], ""
            return None, (
                f"资料中没有找到{hint.text}《{current.title}》{locator}：资料中只有它的一个版本（{listed}）。"
            )
        dated = [v for v in versions if v.version_date]
        exact = [v for v in dated if v.version_date and v.version_date[:4] == str(hint.year)]
        if exact:
            return exact[0], ""
        before = [v for v in dated if v.version_date and int(v.version_date[:4]) <= (hint.year or 0)]
        if before:
            return before[0], ""
        return None, f"资料中没有找到{hint.year}年时的《{current.title}》{locator}：资料中的版本为{listed}。"

    # -- which passages --------------------------------------------------------------------------------
    def resolve(self, ref: StructuralReference, scope: DocumentVersion | None = None) -> ReferenceResolution:
        if (ref.law is not None and is_deictic(ref.law)) or (ref.law is None and scope is not None):
            if scope is None:
                return self._ambiguous(ref, self._documents_with(ref))
            doc, why = (
                (scope, "") if ref.version is None else self.pick_version(scope.work, ref.version, scope, ref.locator)
            )
            return self._in_document(ref, doc, why)
        work, others = self.work_named_by(ref)
        if work is None and others:
            holders = [v for w in others for v in self._library.versions_of(w)[:1]]
            return self._ambiguous(ref, [h for h in holders if self._sections(ref, self._library.outline(h.id))[1]])
        if work is None and ref.law is not None:
            return ReferenceResolution(
                reference=ref, status="not_found",
                message=f"资料中没有找到《{ref.law}》{ref.locator}：资料库没有收录《{ref.law}》。",
            )  # fmt: skip
        if work is None:
            holders = self._documents_with(ref)
            if len(holders) == 1:
                return self._in_document(ref, holders[0], "")
            return self._ambiguous(ref, holders)
        doc, why = self.pick_version(work, ref.version, scope, ref.locator)
        return self._in_document(ref, doc, why)

    def _in_document(self, ref: StructuralReference, doc: DocumentVersion | None, why: str) -> ReferenceResolution:
        if doc is None:
            return ReferenceResolution(reference=ref, status="not_found", message=why)
        outline = self._library.outline(doc.id)
        label = f"{doc.cited_as}{_cited_locator(ref)}"
        sections, passages = self._sections(ref, outline)
        if not passages:
            return ReferenceResolution(
                reference=ref, status="not_found", document=doc, label=label,
                message=f"资料中没有找到{label}{_extent(ref, outline, doc)}。",
            )  # fmt: skip
        excerpt, missing = _clause(ref, passages)
        if missing:
            within = f"{doc.cited_as}{''.join(p.label for p in ref.law_parts)}"
            return ReferenceResolution(
                reference=ref, status="not_found", document=doc, label=label, passages=passages, sections=sections,
                message=f"资料中没有找到{label}：{within}没有{missing}。",
            )  # fmt: skip
        if sections and outline.headings.get(sections[0]) and ref.law_parts[-1].kind in ("编", "章", "节"):
            label = f"{doc.cited_as}{outline.headings[sections[0]]}"
        return ReferenceResolution(
            reference=ref, status="found", document=doc, label=label, passages=passages, sections=sections,
            excerpt=excerpt,
        )  # fmt: skip

    def _sections(self, ref: StructuralReference, outline: DocumentOutline) -> tuple[list[str], list[QuotedPassage]]:
        wanted = ref.law_parts
        sections: list[str] = []
        passages: list[QuotedPassage] = []
        for p in outline.passages:
            depth = match_depth(wanted, p.section_path)
            if depth is None:
                continue
            prefix = "/".join(p.section_path.split("/")[:depth])
            if prefix not in sections:
                sections.append(prefix)
            passages.append(p)
        return sections, passages

    def _documents_with(self, ref: StructuralReference) -> list[DocumentVersion]:
        """Current documents that hold the referenced section."""
        out = []
        for doc in self._library.documents():
            if doc.status == "current" and self._sections(ref, self._library.outline(doc.id))[1]:
                out.append(doc)
        return out

    def _ambiguous(self, ref: StructuralReference, holders: list[DocumentVersion]) -> ReferenceResolution:
        if not holders:
            return ReferenceResolution(reference=ref, status="not_found", message=f"资料中没有找到{ref.locator}。")
        shown = holders[:MAX_CANDIDATES]
        names = "、".join(d.cited_as for d in shown) + ("等" if len(holders) > len(shown) else "")
        return ReferenceResolution(
            reference=ref, status="ambiguous", candidates=shown,
            message=f"“{ref.locator}”没有指明是哪一份文件：资料中有{len(holders)}份文件含{ref.locator}，"
            f"如{names}。请写明文件名称，或选定一份文件再问。",
        )  # fmt: skip


def _cited_locator(ref: StructuralReference) -> str:
    """第四章第三十六条 is cited as 第三十六条: articles are numbered through the whole law."""
    kinds = [p.kind for p in ref.parts]
    if "条" in kinds:
        return "".join(p.label for p in ref.parts[kinds.index("条") :])
    return ref.locator


def _extent(ref: StructuralReference, outline: DocumentOutline, doc: DocumentVersion) -> str:
    """：该法共一百零七条 — how far the document goes at the level asked for."""
    last = ref.law_parts[-1].kind if ref.law_parts else None
    if last not in LAW_LEVELS:
        return ""
    numbers = [
        part.number
        for p in outline.passages
        for part in (segment_part(s) for s in p.section_path.split("/"))
        if part is not None and part.kind == last
    ]
    if not numbers:
        return f"：{doc.cited_as}不分{last}"
    noun = "该法" if doc.title.endswith("法") else "该文件"
    return f"：{noun}共{to_chinese(max(numbers))}{last}"


def _clause(ref: StructuralReference, passages: list[QuotedPassage]) -> tuple[str | None, str]:
    """For 第X条第Y款(第Z项): (that paragraph's text, "") or (None, what is missing); (None, "") otherwise."""
    clause = next((p for p in ref.parts if p.kind == "款"), None)
    item = next((p for p in ref.parts if p.kind == "项"), None)
    if clause is None and item is None:
        return None, ""
    lines = [line for p in passages for line in p.text.split("\n") if line.strip()]
    clauses: list[list[str]] = []
    for line in lines:
        if _ITEM.match(line) and clauses:
            clauses[-1].append(line)
        else:
            clauses.append([_ARTICLE_LABEL.sub("", line) if not clauses else line])
    if clause is not None:
        if clause.number > len(clauses):
            return None, clause.label
        chosen = clauses[clause.number - 1]
    else:
        chosen = next((c for c in clauses if len(c) > 1), clauses[0] if clauses else [])
    if item is None:
        return "\n".join(chosen), ""
    items = chosen[1:]
    if item.number > len(items):
        return None, item.label
    return items[item.number - 1], ""


__all__ = ["NamedWork", "ReferenceResolver", "chinese_date", "match_depth", "segment_part"]
