"""Hostile files, made on the fly (nothing large is kept in the repository): the .docx paragraph bomb,
a zip bomb, a PNG named .pdf, GBK text, a PDF of a given text."""

from __future__ import annotations

import io
import zipfile
from functools import cache

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>'
)


def docx(paragraphs: list[str] | None = None, *, body_xml: str | None = None) -> bytes:
    """A minimal valid .docx (python-docx opens it) with the given paragraphs."""
    if body_xml is None:
        body_xml = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs or [])
    document = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{_W}"><w:body>'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _RELS)
        with zf.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(document.encode())
            part.write(body_xml.encode())
            part.write(b"</w:body></w:document>")
    return out.getvalue()


@cache
def paragraph_bomb(megabytes: int = 40) -> bytes:
    """The issue's .docx: a small file whose main part inflates to `megabytes` MB of tiny paragraphs."""
    piece = "".join(f"<w:p><w:r><w:t>第{i % 10}段</w:t></w:r></w:p>" for i in range(1000))
    count = megabytes * 1024 * 1024 // len(piece.encode())
    return docx(body_xml=piece * count)


@cache
def zip_bomb(gigabytes: float = 1.1) -> bytes:
    """A .docx whose one member declares (and holds) `gigabytes` of zeros: a classic zip bomb."""
    out = io.BytesIO()
    size = int(gigabytes * 1024**3)
    chunk = b"\0" * (1 << 20)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _RELS)
        with zf.open("word/document.xml", "w", force_zip64=True) as part:
            for _ in range(size // len(chunk)):
                part.write(chunk)
    return out.getvalue()


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
