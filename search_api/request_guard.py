"""Request bodies, checked before and while they stream in (a pure ASGI middleware, outside every route).

- The size: a declared Content-Length over the limit is answered 413 before a byte is read; then the
  bytes are counted as they arrive and the request stops with 413 the moment they pass it (a client
  that sends no length, or lies about it, gets no further). The upload route has the file limit plus
  room for the multipart framing; every other route the JSON limit.
- JSON bodies (at most the JSON limit, so buffering them costs little): bytes that are not UTF-8, and
  text that is not Unicode (a lone surrogate written as a \\ud800 escape, which Python's json accepts
  and tokenizers then choke on), are refused with 400/422 here, in the one error shape, rather than
  deep inside a route.
"""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from search_api.errors import error_response

MULTIPART_OVERHEAD = 64 * 1024  # boundaries and part headers around the one file of an upload
_SURROGATE = re.compile("[\ud800-\udfff]")


class BodyTooLarge(HTTPException):
    """Raised from `receive` while the body streams in; FastAPI passes HTTPExceptions through body
    parsing unchanged, so it becomes the 413 error response."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is over the {limit:,}-byte limit")


class RequestGuard:
    def __init__(self, app: ASGIApp, *, json_limit: int, upload_limit: int, upload_path: str) -> None:
        self.app = app
        self._json_limit = json_limit
        self._upload_limit = upload_limit
        self._upload_path = upload_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        is_upload = scope["method"] == "POST" and scope["path"].rstrip("/") == self._upload_path
        limit = self._upload_limit if is_upload else self._json_limit
        declared = headers.get("content-length")
        if declared is not None:
            if not declared.strip().isdigit():
                await error_response(400, "bad_request", "invalid Content-Length")(scope, receive, send)
                return
            if int(declared) > limit:
                code = "file_too_large" if is_upload else "body_too_large"
                await error_response(413, code, BodyTooLarge(limit).detail)(scope, receive, send)
                return
        counted = _counting(receive, limit)
        if not is_upload and _is_json(headers.get("content-type")) and scope["method"] in ("POST", "PUT", "PATCH"):
            try:
                body = await _read_all(counted)
            except BodyTooLarge as exc:
                await error_response(413, "body_too_large", exc.detail)(scope, receive, send)
                return
            problem = _json_problem(body)
            if problem is not None:
                status, code, message = problem
                await error_response(status, code, message)(scope, receive, send)
                return
            counted = _replay(body, receive)
        await self.app(scope, counted, send)


def _is_json(content_type: str | None) -> bool:
    if content_type is None:
        return True  # FastAPI reads a body without a type as JSON
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def _counting(receive: Receive, limit: int) -> Receive:
    received = 0

    async def counted() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise BodyTooLarge(limit)
        return message

    return counted


async def _read_all(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _json_problem(body: bytes) -> tuple[int, str, str] | None:
    """(status, code, message) when a JSON body must be refused here; None leaves it to the route
    (which answers malformed JSON with 422 invalid_request itself)."""
    if not body.strip():
        return None
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return 400, "invalid_body", f"the JSON body is not UTF-8 (byte {exc.start})"
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return None  # malformed: FastAPI says where, as a 422
    except ValueError as exc:  # an integer of more digits than Python converts
        return 422, "invalid_request", f"the JSON body holds a number that is too long: {exc}"[:300]
    except RecursionError:
        return 422, "invalid_request", "the JSON body is nested too deeply"
    if _has_surrogate(value):
        return 422, "invalid_request", "the JSON body holds text that is not Unicode (a lone surrogate escape)"
    return None


def _has_surrogate(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False
