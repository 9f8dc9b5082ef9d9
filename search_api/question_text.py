"""The text a user types (a question, a search query), checked with Chinese messages: the page shows
them as they come. An empty text and one over the limit are refused (422), never cut silently."""

from __future__ import annotations

import re
from typing import Any

from pydantic_core import PydanticCustomError

MAX_QUESTION_CHARS = 500
# The error types whose message is already a whole sentence for the user (search_api/errors.py shows it
# as it stands instead of prefixing the field's location).
USER_MESSAGE_TYPES = frozenset({"text_empty", "text_too_long"})


# What the schema's pattern `\S` counts as blank (ECMAScript's and Unicode's white space), so that the check
# and the schema agree on every text (str.isspace also counts the separators U+001C–U+001F).
_BLANK = re.compile("[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]*")


def checked(value: str, what: str, field: str, limit: int = MAX_QUESTION_CHARS) -> str:
    """`value` unchanged when it holds something and is within `limit` characters; else a Chinese error that
    names the field."""
    if _BLANK.fullmatch(value):
        raise PydanticCustomError("text_empty", f"{what}（{field}）不能为空，请输入内容。")
    if len(value) > limit:
        raise PydanticCustomError(
            "text_too_long",
            f"{what}（{field}）太长：最多{limit}个字，现在是{len(value)}个字。请缩短后再试。",
            {"limit": limit, "length": len(value)},
        )
    return value


def schema(limit: int = MAX_QUESTION_CHARS) -> dict[str, Any]:
    """What `checked` enforces, in the field's JSON schema (clients and fuzzers read it there)."""
    return {"minLength": 1, "maxLength": limit, "pattern": r"\S"}


def question(value: str) -> str:
    return checked(value, "问题", "question")


def query(value: str) -> str:
    return checked(value, "搜索内容", "query")
