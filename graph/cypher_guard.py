"""Refuses Cypher that could write or administer, before it is sent (the read transaction is the
second guard). The check is lexical and deliberately conservative: keywords are looked for outside
string literals, comments, back-quoted names and parameters, and a procedure may only be called when
it is on a short allow-list of read-only ones. A refused harmless query is a nuisance; an accepted
write is a defect."""

from __future__ import annotations

import re

from graph.errors import QueryRefused

_WRITE_OR_ADMIN = frozenset(
    {
        "CREATE", "MERGE", "DELETE", "DETACH", "SET", "REMOVE", "DROP", "LOAD", "FOREACH",
        "GRANT", "REVOKE", "DENY", "ALTER", "RENAME", "START", "STOP", "TERMINATE", "SHOW", "USE",
        "TRANSACTIONS", "PERIODIC", "COMMIT", "ENABLE", "DEALLOCATE", "REALLOCATE", "FINISH",
        "INSERT", "IMPERSONATE", "SUSPENDED", "PASSWORD",
    }
)  # fmt: skip
_READ_PROCEDURES = frozenset(
    {
        "db.labels",
        "db.relationshiptypes",
        "db.propertykeys",
        "db.schema.visualization",
        "db.schema.nodetypeproperties",
        "db.schema.reltypeproperties",
        "db.index.fulltext.querynodes",
        "db.index.fulltext.queryrelationships",
        "db.index.vector.querynodes",
    }
)
_FORBIDDEN_NAMESPACES = ("apoc.", "dbms.", "gds.", "tx.", "db.")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\s*\.\s*[A-Za-z_][A-Za-z0-9_]*)*")


def _words(query: str) -> list[tuple[str, str]]:
    """(word, the character before it) for every bare identifier outside literals and comments."""
    words: list[tuple[str, str]] = []
    i, n = 0, len(query)
    prev = ""
    while i < n:
        c = query[i]
        if c in "'\"":
            i = _skip_string(query, i, c)
            prev = c
        elif c == "`":
            end = query.find("`", i + 1)
            while end != -1 and query.startswith("``", end):
                end = query.find("`", end + 2)
            if end == -1:
                raise QueryRefused("unterminated back-quoted name")
            i, prev = end + 1, "`"
        elif query.startswith("//", i):
            end = query.find("\n", i)
            i = n if end == -1 else end + 1
        elif query.startswith("/*", i):
            end = query.find("*/", i + 2)
            if end == -1:
                raise QueryRefused("unterminated comment")
            i = end + 2
        elif c.isalpha() or c == "_":
            m = _IDENT.match(query, i)
            assert m is not None  # a letter always starts an identifier
            words.append((re.sub(r"\s+", "", m.group(0)), prev))
            i, prev = m.end(), "a"
        elif c.isspace():
            i += 1
        else:
            prev = c
            i += 1
    return words


def _skip_string(query: str, start: int, quote: str) -> int:
    i = start + 1
    while i < len(query):
        if query[i] == "\\":
            i += 2
        elif query[i] == quote:
            return i + 1
        else:
            i += 1
    raise QueryRefused("unterminated string literal")


def check_read_only(query: str) -> None:
    """Raise QueryRefused unless `query` is plainly read-only."""
    if not query.strip():
        raise QueryRefused("empty query")
    words = _words(query)
    for index, (word, before) in enumerate(words):
        if before == "$":
            continue  # a parameter name
        if index > 0 and words[index - 1][0].upper() == "CALL" and before == "a":
            # The word right after CALL (not after "{" or "(") names a procedure.
            if word.lower() not in _READ_PROCEDURES:
                raise QueryRefused(f"procedure {word} is not allowed in read-only queries")
            continue
        if "." in word:
            if word.lower().startswith(_FORBIDDEN_NAMESPACES):
                raise QueryRefused(f"{word} is not allowed in read-only queries")
            continue  # a property access such as n.name, or a read-only function
        if word.upper() in _WRITE_OR_ADMIN:
            raise QueryRefused(f"{word.upper()} is not allowed: only read queries may run here")
