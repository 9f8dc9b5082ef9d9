"""Bytes → text for plain-text formats: UTF-8 or GBK/GB18030 (detected, not assumed), with a sanity check."""

from __future__ import annotations

import contextlib

from charset_normalizer import from_bytes

from ingest.errors import DecodeFailed

# A decoding is only believed when almost every character is one a Chinese or Latin text uses;
# a wrong guess produces private-use, control or rare symbols.
_MIN_PLAUSIBLE = 0.97


def _plausible(ch: str) -> bool:
    o = ord(ch)
    return (
        ch in "\n\r\t"
        or 0x20 <= o < 0x7F
        or 0x4E00 <= o <= 0x9FFF  # CJK unified ideographs
        or 0x3000 <= o <= 0x303F  # CJK symbols and punctuation
        or 0xFF00 <= o <= 0xFFEF  # full-width forms
        or 0x2000 <= o <= 0x206F  # general punctuation (“” — …)
        or 0x3400 <= o <= 0x4DBF  # CJK extension A
        or o in (0xA0, 0xB7, 0xD7, 0xF7, 0x2018, 0x2019, 0x25CB, 0x25CF, 0x2460)
        or 0x2460 <= o <= 0x24FF  # ①②③
        or 0x2160 <= o <= 0x217F  # Ⅰ Ⅱ Ⅲ
        or 0xC0 <= o <= 0x17F  # accented Latin letters
    )


def plausibility(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 1.0
    return sum(1 for c in sample if _plausible(c)) / len(sample)


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030 (a superset of GBK and GB2312).

    Returns (text, encoding). Binary data and text that decodes only into noise raise DecodeFailed.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise DecodeFailed(f"invalid UTF-16: {exc}") from exc
    if b"\x00" in data[:8192]:
        raise DecodeFailed("binary content (NUL bytes) in a text file")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates: list[tuple[str, str]] = []
    with contextlib.suppress(UnicodeDecodeError):
        candidates.append((data.decode("gb18030"), "gb18030"))
    best = from_bytes(data).best()
    if best is not None and best.encoding is not None:
        candidates.append((str(best), best.encoding))
    for text, encoding in candidates:
        if plausibility(text) >= _MIN_PLAUSIBLE:
            return text, encoding
    raise DecodeFailed("cannot decode the text: not UTF-8, UTF-16 or GBK/GB18030, and no other encoding fits")
