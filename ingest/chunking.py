"""Turns clean text into passages. Paragraph chunking, split at sentence ends under a maximum length."""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])")


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n|\r\n\s*\r\n", text) if p.strip()]


def split_long(paragraph: str, max_chars: int) -> list[str]:
    """Split a paragraph into pieces of at most max_chars, preferring sentence ends."""
    if len(paragraph) <= max_chars:
        return [paragraph]
    pieces: list[str] = []
    current = ""
    for sentence in (s for s in _SENTENCE_END.split(paragraph) if s):
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


def chunk_text(text: str, max_chars: int = 400) -> list[str]:
    return [piece for para in paragraphs(text) for piece in split_long(para, max_chars)]
