"""The one place where errors become HTTP responses (and, in cli.py, exit codes)."""

from __future__ import annotations

import json
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from graph.errors import (
    GraphError,
    InvalidQuery,
    NodeNotFound,
    NotSupported,
    QueryRefused,
    StoreCorrupt,
    StoreUnavailable,
)
from ingest.errors import (
    FileTooLarge,
    IngestCancelled,
    IngestError,
    IngestTimedOut,
    ModelUnavailable,
    TooMuchText,
    UnpackedTooLarge,
    UnsupportedFormat,
)
from search_api.matching.errors import (
    MatchingError,
    ReferenceNotLoaded,
    UnknownIndustry,
    UnknownSchool,
    UnknownSpecialty,
)
from search_api.question_text import USER_MESSAGE_TYPES
from search_api.references.errors import AliasTableInvalid, ReferencesError, UnknownDocument


class ApiError(Exception):
    """Root of errors raised by the API layer itself."""

    status = 400
    code = "bad_request"
    headers: ClassVar[dict[str, str] | None] = None


class NotFound(ApiError):
    status = 404
    code = "not_found"


class BadUpload(ApiError):
    code = "bad_upload"


class IngestFailed(ApiError):
    """The pipeline could not ingest an uploaded file (decode error, empty file, parse failure …)."""

    status = 422
    code = "ingest_failed"


class InvalidRequest(ApiError):
    """A request the route checks itself (the multipart upload) lacks what it needs."""

    status = 422
    code = "invalid_request"


class InvalidBody(ApiError):
    """A JSON body that is not UTF-8, or holds text that is not Unicode (lone surrogates)."""

    code = "invalid_body"


class KeyRequired(ApiError):
    status = 401
    code = "key_required"
    headers: ClassVar[dict[str, str] | None] = {"WWW-Authenticate": 'Bearer realm="chuyi"'}


class KeyInvalid(ApiError):
    status = 401
    code = "key_invalid"
    headers: ClassVar[dict[str, str] | None] = {"WWW-Authenticate": 'Bearer realm="chuyi", error="invalid_token"'}


class WriteRefused(ApiError):
    """Writes are closed to this client (no keys configured and not local, or not bound to loopback)."""

    status = 403
    code = "write_refused"


class CrossOriginRefused(ApiError):
    """A browser page of another origin tried to write."""

    status = 403
    code = "cross_origin"


class TooManyJobs(ApiError):
    status = 429
    code = "too_many_jobs"
    headers: ClassVar[dict[str, str] | None] = {"Retry-After": "30"}


_STATUS: list[tuple[type[Exception], int, str]] = [
    (StoreUnavailable, 503, "store_unavailable"),
    (ModelUnavailable, 503, "model_unavailable"),
    (NodeNotFound, 404, "not_found"),
    (NotSupported, 501, "not_available"),
    (InvalidQuery, 400, "invalid_query"),
    (QueryRefused, 400, "query_refused"),
    (StoreCorrupt, 500, "store_corrupt"),
    (FileTooLarge, 413, "file_too_large"),
    (TooMuchText, 413, "too_much_text"),
    (UnpackedTooLarge, 413, "unpacked_too_large"),
    (IngestTimedOut, 422, "ingest_timeout"),
    (IngestCancelled, 409, "ingest_cancelled"),
    (UnsupportedFormat, 415, "unsupported_format"),
    (IngestError, 422, "ingest_failed"),
    (GraphError, 500, "graph_error"),
    (UnknownIndustry, 404, "unknown_industry"),
    (UnknownSpecialty, 404, "unknown_specialty"),
    (UnknownSchool, 404, "unknown_school"),
    (ReferenceNotLoaded, 503, "reference_data_missing"),
    (MatchingError, 500, "matching_error"),
    (UnknownDocument, 404, "unknown_document"),
    (AliasTableInvalid, 500, "knowledge_invalid"),
    (ReferencesError, 500, "references_error"),
]


_HTTP_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 413: "file_too_large"}


class SafeJSONResponse(JSONResponse):
    """JSON that is always valid UTF-8: text that is not Unicode (a lone surrogate that came in through
    a JSON escape or a database value) is replaced rather than failing the response with a 500."""

    def render(self, content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":"))
        return text.encode("utf-8", "replace")


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> SafeJSONResponse:
    """The one error body, for the handlers below and for middleware that answers before any route."""
    return SafeJSONResponse(status_code=status, content=_body(code, message), headers=headers)


def status_for(exc: Exception) -> tuple[int, str]:
    if isinstance(exc, ApiError):
        return exc.status, exc.code
    for kind, status, code in _STATUS:
        if isinstance(exc, kind):
            return status, code
    return 500, "internal_error"


def _body(code: str, message: str) -> dict[str, dict[str, str]]:
    return {"error": {"code": code, "message": message}}


# The errors the API reports with their own code and message; anything else is a bug (internal_error).
KNOWN_ERRORS: tuple[type[Exception], ...] = (ApiError, GraphError, IngestError, MatchingError, ReferencesError)


def error_content(exc: Exception) -> dict[str, dict[str, str]]:
    """The error JSON for an exception, for a place that cannot send a status (a stream already under
    way): the same body an error response carries. An unexpected exception's text stays in the log."""
    _, code = status_for(exc)
    return _body(code, str(exc) if isinstance(exc, KNOWN_ERRORS) else "internal error")


def install_error_handlers(app: FastAPI) -> None:
    async def known(_: Request, exc: Exception) -> JSONResponse:
        status, code = status_for(exc)
        return error_response(status, code, str(exc), getattr(exc, "headers", None))

    async def invalid(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        message = f"{where}: {first.get('msg', 'invalid request')}" if where else "invalid request"
        if first.get("type") in USER_MESSAGE_TYPES:  # already a sentence for the user, in Chinese
            message = str(first.get("msg"))
        return error_response(422, "invalid_request", message)

    async def http(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        return error_response(exc.status_code, code, str(exc.detail), getattr(exc, "headers", None))

    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        # A bug: the traceback goes to the log (Starlette logs it), the client gets the error shape.
        return error_response(500, "internal_error", "internal error")

    for kind in KNOWN_ERRORS:
        app.add_exception_handler(kind, known)
    app.add_exception_handler(Exception, unexpected)
    app.add_exception_handler(StarletteHTTPException, http)
    app.add_exception_handler(RequestValidationError, invalid)
