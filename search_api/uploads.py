"""Receiving an upload: the multipart body streamed to a file of its own temporary folder, under a
name that is safe to create and to show.

The body's size is bounded while it streams (search_api.request_guard); here the file part itself is
counted against the file limit as it is copied, and the name is made safe: the base name only (no
folders, so no traversal), control and invisible formatting characters removed (NUL, the RTL
override that makes `txt.exe` read `exe.txt`), Unicode in NFC, and at most 255 bytes — a longer name
keeps its start and suffix and gets a hash of the whole, so two long names stay two documents.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException
from starlette.requests import Request

from ingest.errors import FileTooLarge, UnsupportedFormat
from ingest.loaders import supported_suffixes
from search_api.errors import BadUpload, InvalidRequest

MAX_NAME_BYTES = 255  # what Linux file systems allow for one name
_CHUNK = 1 << 16
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


@dataclass
class ReceivedFile:
    """An uploaded file on disk, alone in its own temporary folder (removed by `discard`)."""

    name: str
    path: Path
    size: int
    sha256: str

    def discard(self) -> None:
        shutil.rmtree(self.path.parent, ignore_errors=True)


def safe_name(filename: str | None) -> str:
    """The name an uploaded file is stored and shown under (see the module doc); BadUpload when
    nothing usable is left."""
    raw = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(
        c for c in unicodedata.normalize("NFC", raw) if unicodedata.category(c) not in _DROPPED_CATEGORIES
    )
    name = " ".join(cleaned.split())  # tabs and runs of spaces become one space
    if not name or name in (".", "..") or name.startswith("."):
        raise BadUpload(f"a file name is required (got {(filename or '')[:100]!r})")
    return _shortened(name)


def _shortened(name: str) -> str:
    if len(name.encode("utf-8")) <= MAX_NAME_BYTES:
        return name
    suffix = Path(name).suffix if len(Path(name).suffix) <= 16 else ""
    stem = name[: len(name) - len(suffix)]
    tag = "~" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:10]
    room = MAX_NAME_BYTES - len((tag + suffix).encode("utf-8"))
    while len(stem.encode("utf-8")) > room:
        stem = stem[:-1]
    return stem + tag + suffix


def check_suffix(name: str) -> None:
    suffix = Path(name).suffix.lower()
    if suffix not in supported_suffixes():
        raise UnsupportedFormat(
            f"unsupported file type {suffix or '(none)'}; supported: {', '.join(sorted(supported_suffixes()))}"
        )


async def receive_upload(request: Request, max_bytes: int) -> ReceivedFile:
    """The multipart field `file` of `request`, written to disk; refuses a missing part, a bad name or
    type, an over-size file and a malformed body (all 4xx)."""
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media != "multipart/form-data":
        raise InvalidRequest("file: a multipart/form-data body with a file part named `file` is required")
    try:
        form = await request.form(max_files=1, max_fields=16, max_part_size=64 * 1024)
    except MultiPartException as exc:
        raise BadUpload(f"malformed multipart body: {exc.message}") from exc
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InvalidRequest("file: field required (a file part named `file`)")
        name = safe_name(upload.filename)
        check_suffix(name)
        return await _save(upload, name, max_bytes)
    finally:
        await form.close()


async def _save(upload: UploadFile, name: str, max_bytes: int) -> ReceivedFile:
    folder = Path(tempfile.mkdtemp(prefix="chuyi-upload-"))
    path = folder / name
    digest = hashlib.sha256()
    size = 0
    try:
        with path.open("wb") as out:
            while chunk := await upload.read(_CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise FileTooLarge(f"upload is over the {max_bytes}-byte limit")
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return ReceivedFile(name=name, path=path, size=size, sha256=digest.hexdigest())
