"""Turns clean text into passages: within a section, split at sentence ends under a maximum length."""

from __future__ import annotations

from graph.text import sentence_spans
from ingest.models import CleanDocument, PassageDraft, StructuredDocument
from ingest.structure import is_heading_only, parse_marker


def _sentences(paragraph: str) -> list[str]:
    """The paragraph cut after every sentence end, nothing lost: the sentences with their end marks, and
    each end mark that follows another (。。, ？！) as a piece of its own, which sentence_spans skips."""
    pieces: list[str] = []
    pos = 0
    for start, end in sentence_spans(paragraph):
        pieces.extend(paragraph[pos:start])  # only end marks lie between two spans
        pieces.append(paragraph[start:end])
        pos = end
    pieces.extend(paragraph[pos:])
    return pieces


def split_long(paragraph: str, max_chars: int) -> list[str]:
    """Split a paragraph into pieces of at most max_chars, preferring sentence ends."""
    if len(paragraph) <= max_chars:
        return [paragraph]
    pieces: list[str] = []
    current = ""
    for sentence in _sentences(paragraph):
        while len(sentence) > max_chars:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(sentence[:max_chars])
            sentence = sentence[max_chars:]
        if len(current) + len(sentence) > max_chars and current:
            pieces.append(current)
            current = ""
        current += sentence
    if current:
        pieces.append(current)
    return pieces


# --- section-aware passages ----------------------------------------------------------------------

SUBSTANTIAL_HEADING = 8  # a heading-only line this long (传承创新“楚怡”职业教育精神) is worth finding


def _pack(parts: list[str], section_key: str | None, max_chars: int) -> list[PassageDraft]:
    """Greedy: whole paragraphs together while they fit; long paragraphs split at sentence ends."""
    out: list[PassageDraft] = []
    current = ""
    for part in parts:
        for piece in split_long(part, max_chars):
            if current and len(current) + 1 + len(piece) > max_chars:
                out.append(PassageDraft(text=current, section_key=section_key))
                current = ""
            current = f"{current}\n{piece}" if current else piece
    if current:
        out.append(PassageDraft(text=current, section_key=section_key))
    return out


def _worth_a_passage(text: str) -> bool:
    marker = parse_marker(text)
    if marker is None or not is_heading_only(marker):
        return True
    if marker.kind in ("编", "章", "节") or marker.kind.startswith("md"):
        return False
    return len(marker.rest.rstrip("。；")) >= SUBSTANTIAL_HEADING


def build_passages(clean: CleanDocument, structure: StructuredDocument, max_chars: int = 400) -> list[PassageDraft]:
    """Front matter, then body passages that never cross a section boundary, then the signature block."""
    drafts: list[PassageDraft] = []
    front = [*clean.title_lines, *clean.issuer_lines, *(p.text for p in clean.front)]
    if front:
        drafts.extend(d.model_copy(update={"kind": "front"}) for d in _pack(["\n".join(front)], None, max_chars))
    group: list[str] = []
    key: str | None = None
    for para in structure.paragraphs:
        if para.section_key != key:
            drafts.extend(_pack(group, key, max_chars))
            group, key = [], para.section_key
        if para.is_heading_only and not _worth_a_passage(para.text):
            continue
        group.append(para.text)
    drafts.extend(_pack(group, key, max_chars))
    if clean.tail:
        tail = "\n".join(p.text for p in clean.tail)
        drafts.extend(d.model_copy(update={"kind": "tail"}) for d in _pack([tail], None, max_chars))
    return drafts
