"""Character-level normalisation of one line: widths, invisible characters and stray spaces.

Chinese punctuation stays full-width (，。：；（）), because it is what the text means; digits and Latin
letters become half-width so that 建设２０个 and 建设 20 个 both read 建设20个.
"""

from __future__ import annotations

import re

from ingest.models import NormalisationCounts
from ingest.script import to_simplified

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[ \t\u00a0\u3000\u2002\u2003\u2009\u202f]+")

# Characters next to which a space carries no meaning in Chinese text.
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff00-\uffef“”‘’、，。：；！？《》（）【】—…·"
_SPACE_AROUND_CJK = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}0-9%])|(?<=[{_CJK}0-9.%)])\s+(?=[{_CJK}])")
# A law article or chapter marker keeps one space before its text: 第一条 为了…
# (第二百六十二条之二 keeps its 之二.)
_LAW_MARKER = re.compile(
    r"^((?:#{1,6}\s*)?第[零〇一二三四五六七八九十百千0-9]+[编章节条](?:\s*之[零〇一二三四五六七八九十]+)?)\s*"
)


def _to_halfwidth(ch: str) -> str:
    o = ord(ch)
    if 0xFF10 <= o <= 0xFF19 or 0xFF21 <= o <= 0xFF3A or 0xFF41 <= o <= 0xFF5A:
        return chr(o - 0xFEE0)
    if ch == "％":
        return "%"
    if ch == "．":
        return "."
    return ch


_WIDTH_MAP = {
    c: _to_halfwidth(chr(c))
    for c in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B), ord("％"), ord("．")]
}


def normalise_line(line: str, counts: NormalisationCounts | None = None) -> str:
    counts = counts if counts is not None else NormalisationCounts()
    before = len(line)
    line = line.translate(_INVISIBLE)
    counts.invisible_chars += before - len(line)
    widened = line.translate(_WIDTH_MAP)
    counts.fullwidth_chars += sum(1 for a, b in zip(line, widened, strict=True) if a != b)
    line = _SPACES.sub(" ", widened).strip()
    marker = _LAW_MARKER.match(line)
    head, rest = (marker.group(1), line[marker.end() :]) if marker else ("", line)
    collapsed = _SPACE_AROUND_CJK.sub("", rest)
    counts.spaces_removed += len(rest) - len(collapsed)
    if head:
        return f"{head} {collapsed}" if collapsed else head
    return collapsed


def normalise_text(text: str, counts: NormalisationCounts | None = None) -> list[str]:
    """Split into lines (keeping blank ones, they separate paragraphs) and normalise each; a text in
    traditional script is first written in simplified characters (ingest/script.py)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text, converted = to_simplified(text)
    if counts is not None:
        counts.traditional_chars += converted
    lines = text.split("\n")
    return [normalise_line(line, counts) if line.strip() and line != "\f" else line.strip(" \t") for line in lines]
