"""The one place where errors become HTTP responses (and, in cli.py, exit codes)."""

from __future__ import annotations

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
from ingest.errors import FileTooLarge, IngestError, ModelUnavailable, UnsupportedFormat
from search_api.matching.errors import (
    MatchingError,
    ReferenceNotLoaded,
    UnknownIndustry,
    UnknownSchool,
    UnknownSpecialty,
)
from search_api.references.errors import AliasTableInvalid, ReferencesError, UnknownDocument


class ApiError(Exception):
    """Root of errors raised by the API layer itself."""

    status = 400
    code = "bad_request"


class NotFound(ApiError):
    status = 404
    code = "not_found"


class BadUpload(ApiError):
    code = "bad_upload"


class IngestFailed(ApiError):
    """The pipeline could not ingest an uploaded file (decode error, empty file, parse failure …)."""

    status = 422
    code = "ingest_failed"


_STATUS: list[tuple[type[Exception], int, str]] = [
    (StoreUnavailable, 503, "store_unavailable"),
    (ModelUnavailable, 503, "model_unavailable"),
    (NodeNotFound, 404, "not_found"),
    (NotSupported, 501, "not_available"),
    (InvalidQuery, 400, "invalid_query"),
    (QueryRefused, 400, "query_refused"),
    (StoreCorrupt, 500, "store_corrupt"),
    (FileTooLarge, 413, "file_too_large"),
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


_HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 413: "file_too_large"}


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
        return JSONResponse(status_code=status, content=_body(code, str(exc)))

    async def invalid(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        message = f"{where}: {first.get('msg', 'invalid request')}" if where else "invalid request"
        return JSONResponse(status_code=422, content=_body("invalid_request", message))

    async def http(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        return JSONResponse(
            status_code=exc.status_code, content=_body(code, str(exc.detail)), headers=getattr(exc, "headers", None)
        )

    for kind in KNOWN_ERRORS:
        app.add_exception_handler(kind, known)
    app.add_exception_handler(StarletteHTTPException, http)
    app.add_exception_handler(RequestValidationError, invalid)
