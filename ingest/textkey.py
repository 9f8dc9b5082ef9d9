"""The key that makes the same text one document whatever its file name or encoding.

A UTF-8 file and its GBK copy, a page saved twice, the same text with other line breaks, full-width digits
or traditional characters: all normalise to the same characters (NFKC, simplified script, no whitespace or
invisible characters), whose SHA-256 is stored on the document as `text_sha256`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from ingest.script import to_simplified

_NOT_TEXT = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff\u00ad]+")


def normalised_text(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text)
    simplified, _ = to_simplified(folded)
    return _NOT_TEXT.sub("", simplified)


def text_fingerprint(text: str) -> str:
    return hashlib.sha256(normalised_text(text).encode("utf-8")).hexdigest()
