"""Word (.docx, python-docx) and PDF (text layer, pypdf) loaders."""

from __future__ import annotations

import hashlib
import io
import zipfile

from ingest.errors import CorruptFile, EmptyDocument
from ingest.models import LoadedDocument


class DocxLoader:
    suffixes: tuple[str, ...] = (".docx",)

    def load(self, source: str, data: bytes) -> LoadedDocument:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
        from docx.table import Table

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
            pages = [page.extract_text() or "" for page in reader.pages]
            meta_title = (reader.metadata.title if reader.metadata else None) or None
        except CorruptFile:
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
