"""Word (.docx, python-docx) and PDF (text layer, pypdf) loaders.

Both check the document's limits (ingest.limits) while they read it: a .docx's zip directory is
checked for its declared unpacked size before anything is inflated (zip bombs), and its main part is
streamed once to count paragraphs and characters before python-docx builds a tree of it (a small file
that inflates to millions of tiny paragraphs is refused within a second); a PDF is counted page by page.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from typing import IO

from ingest import limits
from ingest.errors import CorruptFile, EmptyDocument, LimitExceeded
from ingest.models import LoadedDocument

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MAIN_PART = "word/document.xml"
_CHECK_EVERY = 1000  # paragraphs between checks while streaming the main part


def _check_archive(data: bytes) -> None:
    """Refuse a .docx whose zip directory declares too much: zipfile never inflates a member beyond its
    declared size, so checking the declarations bounds what reading can cost."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            budget = limits.current()
            budget.check_archive(sum(i.file_size for i in infos), len(infos))
            if _MAIN_PART in zf.namelist():
                with zf.open(_MAIN_PART) as part:
                    _count_paragraphs(part)
    except LimitExceeded:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError) as exc:
        raise CorruptFile(f"not a readable .docx file: {type(exc).__name__}: {exc}") from exc


def _count_paragraphs(part: IO[bytes]) -> None:
    """Stream the main part, counting paragraphs (w:p) and text characters (w:t), and stop at a limit."""
    from lxml import etree

    budget = limits.current()
    paragraphs = chars = 0
    try:
        for _, element in etree.iterparse(
            part, events=("end",), tag=(f"{_W}p", f"{_W}t"), resolve_entities=False, no_network=True
        ):
            if element.tag == f"{_W}t":
                chars += len(element.text or "")
                continue
            paragraphs += 1
            element.clear()  # keep memory flat: what was counted is not needed again
            if paragraphs % _CHECK_EVERY == 0:
                budget.check_text(chars, paragraphs)
                budget.checkpoint()
    except etree.XMLSyntaxError as exc:
        raise CorruptFile(f"not a readable .docx file: {exc}") from exc
    budget.check_text(chars, paragraphs)


class DocxLoader:
    suffixes: tuple[str, ...] = (".docx",)

    def load(self, source: str, data: bytes) -> LoadedDocument:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
        from docx.table import Table

        _check_archive(data)
        try:
            document = docx.Document(io.BytesIO(data))
        except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
            raise CorruptFile(f"not a readable .docx file: {exc}") from exc
        except Exception as exc:  # lxml and zip errors of every kind mean the same thing here
            raise CorruptFile(f"not a readable .docx file: {type(exc).__name__}: {exc}") from exc
        lines: list[str] = []
        title_hint: str | None = None
        # Paragraphs and tables in document order; a table row becomes one line of cells.
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                for row in block.rows:
                    cells = [c.text.strip() for c in row.cells]
                    if any(cells):
                        lines.append(" ".join(dict.fromkeys(c for c in cells if c)))
                continue
            text = block.text.strip()
            style = (block.style.name if block.style is not None else "") or ""
            if text and title_hint is None and style.lower() == "title":
                title_hint = text
            lines.append(text)
        core_title = (document.core_properties.title or "").strip()
        return LoadedDocument(
            source=source,
            format="docx",
            text="\n".join(lines),
            sha256=hashlib.sha256(data).hexdigest(),
            title_hint=title_hint or core_title or None,
        )


class PdfLoader:
    suffixes: tuple[str, ...] = (".pdf",)

    def load(self, source: str, data: bytes) -> LoadedDocument:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError

        try:
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                raise CorruptFile("the PDF is encrypted")
            pages = _page_texts(reader)
            meta_title = (reader.metadata.title if reader.metadata else None) or None
        except (CorruptFile, LimitExceeded):
            raise
        except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
            raise CorruptFile(f"not a readable PDF: {type(exc).__name__}: {exc}") from exc
        if not any(p.strip() for p in pages):
            raise EmptyDocument("the PDF has no text layer (a scan?); OCR is not supported")
        return LoadedDocument(
            source=source,
            format="pdf",
            # A form feed between pages lets cleaning see page boundaries (running headers, page numbers).
            text="\n\f\n".join(pages),
            sha256=hashlib.sha256(data).hexdigest(),
            title_hint=str(meta_title).strip() if meta_title else None,
        )


def _page_texts(reader: object) -> list[str]:
    """The text of each page, counted against the limits as the pages are read."""
    budget = limits.current()
    pages: list[str] = []
    chars = paragraphs = 0
    for number, page in enumerate(reader.pages, start=1):  # type: ignore[attr-defined]
        text = page.extract_text() or ""
        pages.append(text)
        chars += len(text)
        paragraphs += sum(1 for line in text.splitlines() if line.strip())
        budget.check_text(chars, paragraphs)
        budget.checkpoint("reading", number, len(reader.pages))  # type: ignore[attr-defined]
    return pages
