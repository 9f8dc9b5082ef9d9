"""Loaders: one per file format, each turning bytes into a LoadedDocument."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Protocol

from charset_normalizer import from_bytes

from ingest.errors import DecodeFailed, EmptyDocument, FileTooLarge, UnsupportedFormat
from ingest.models import LoadedDocument


class Loader(Protocol):
    suffixes: tuple[str, ...]

    def load(self, source: str, data: bytes) -> LoadedDocument: ...


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode UTF-8 or GBK/GB18030 (detected, not assumed). Returns (text, encoding)."""
    if b"\x00" in data[:8192]:
        raise DecodeFailed("binary content (NUL bytes) in a text file")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    # GB18030 is a superset of GBK and GB2312; try it first for Chinese text, and fall back to
    # detection for anything else.
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise DecodeFailed("cannot detect the text encoding")
    return str(best), best.encoding


class TextLoader:
    suffixes: tuple[str, ...] = (".txt", ".md", ".markdown")

    def load(self, source: str, data: bytes) -> LoadedDocument:
        text, encoding = decode_text(data)
        return LoadedDocument(
            source=source,
            format="markdown" if source.lower().endswith((".md", ".markdown")) else "text",
            text=text,
            sha256=hashlib.sha256(data).hexdigest(),
            encoding=encoding,
        )


LOADERS: tuple[Loader, ...] = (TextLoader(),)


def loader_for(path: Path) -> Loader:
    suffix = path.suffix.lower()
    for loader in LOADERS:
        if suffix in loader.suffixes:
            return loader
    raise UnsupportedFormat(f"unsupported file type {suffix or '(none)'}")


def supported_suffixes() -> set[str]:
    return {s for loader in LOADERS for s in loader.suffixes}


def load_file(path: Path, max_bytes: int) -> LoadedDocument:
    loader = loader_for(path)
    size = path.stat().st_size
    if size > max_bytes:
        raise FileTooLarge(f"{size} bytes is over the {max_bytes}-byte limit")
    if size == 0:
        raise EmptyDocument("empty file")
    doc = loader.load(str(path), path.read_bytes())
    if not doc.text.strip():
        raise EmptyDocument("no text in file")
    return doc
