"""Loaders: one per file format, each turning bytes into a LoadedDocument. `load_file` is the entry."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Protocol

from ingest import limits
from ingest.decoding import decode_text
from ingest.errors import EmptyDocument, FileTooLarge, UnsupportedFormat
from ingest.html_loader import HtmlLoader
from ingest.models import LoadedDocument
from ingest.office_loaders import DocxLoader, PdfLoader

__all__ = ["LOADERS", "Loader", "TextLoader", "decode_text", "load_bytes", "load_file", "supported_suffixes"]


class Loader(Protocol):
    suffixes: tuple[str, ...]

    def load(self, source: str, data: bytes) -> LoadedDocument: ...


class TextLoader:
    suffixes: tuple[str, ...] = (".txt", ".md", ".markdown", ".text")

    def load(self, source: str, data: bytes) -> LoadedDocument:
        text, encoding = decode_text(data)
        return LoadedDocument(
            source=source,
            format="markdown" if source.lower().endswith((".md", ".markdown")) else "text",
            text=text,
            sha256=hashlib.sha256(data).hexdigest(),
            encoding=encoding,
        )


LOADERS: tuple[Loader, ...] = (TextLoader(), DocxLoader(), PdfLoader(), HtmlLoader())


def loader_for(name: str) -> Loader:
    suffix = Path(name).suffix.lower()
    for loader in LOADERS:
        if suffix in loader.suffixes:
            return loader
    known = ", ".join(sorted(supported_suffixes()))
    raise UnsupportedFormat(f"unsupported file type {suffix or '(no extension)'}; supported: {known}")


def supported_suffixes() -> set[str]:
    return {s for loader in LOADERS for s in loader.suffixes}


def load_bytes(source: str, data: bytes, max_bytes: int) -> LoadedDocument:
    """Load a document held in memory (an upload); `source` names it and picks the loader."""
    loader = loader_for(source)
    if len(data) > max_bytes:
        raise FileTooLarge(f"{len(data)} bytes is over the {max_bytes}-byte limit")
    if not data.strip():
        raise EmptyDocument("empty file")
    doc = loader.load(source, data)
    limits.current().check_text(len(doc.text), count_paragraphs(doc.text))
    if not doc.text.strip():
        raise EmptyDocument("no text in file")
    return doc


def count_paragraphs(text: str) -> int:
    """Non-blank lines: what cleaning will treat as paragraphs."""
    return sum(1 for line in text.splitlines() if line.strip())


def load_file(path: Path, max_bytes: int) -> LoadedDocument:
    loader_for(path.name)  # unknown extensions fail before the file is read
    size = path.stat().st_size
    if size > max_bytes:
        raise FileTooLarge(f"{size} bytes is over the {max_bytes}-byte limit")
    if size == 0:
        raise EmptyDocument("empty file")
    return load_bytes(str(path), path.read_bytes(), max_bytes)
