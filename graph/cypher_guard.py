"""Refuses Cypher that could write or administer, before it is sent (the read transaction is the
second guard, the time and row limits in neo4j_store the third).

The check reads the query as Neo4j's lexer would: a small tokenizer that knows string literals,
back-quoted names, parameters, comments and Unicode identifiers, so that what it sees as a name or a
keyword is what the database sees. Then, over the tokens:
- a write or admin keyword anywhere (outside strings, comments and back-quotes; a property key after
  `.` is a name, not a keyword) refuses the query;
- `CALL` must open a subquery (`CALL {`, `CALL (x) {`) or name a procedure on a short allow-list of
  read-only ones. The name is read part by part, so `dbms`.`listConfig`, `db . labels` and
  `db./*x*/labels` are all read as the names they are;
- a namespaced function call (`apoc.text.join(…)`) must be in a built-in read-only namespace.
It is deliberately conservative: a refused harmless query is a nuisance; an accepted write is a defect.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

from graph.errors import QueryRefused

_WRITE_OR_ADMIN = frozenset(
    {
        "CREATE", "MERGE", "DELETE", "DETACH", "NODETACH", "SET", "REMOVE", "DROP", "LOAD", "FOREACH",
        "GRANT", "REVOKE", "DENY", "ALTER", "RENAME", "START", "STOP", "TERMINATE", "SHOW", "USE",
        "TRANSACTIONS", "PERIODIC", "COMMIT", "ENABLE", "DEALLOCATE", "REALLOCATE", "FINISH",
        "INSERT", "IMPERSONATE", "SUSPENDED", "PASSWORD",
    }
)  # fmt: skip
# Read-only procedures (Neo4j 5 built-ins) a research query may need; compared case-insensitively.
READ_PROCEDURES = frozenset(
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
        "db.index.vector.queryrelationships",
    }
)
# Namespaces of Neo4j's built-in functions, which only compute (temporal, spatial, vector maths).
# Everything else namespaced (apoc.*, dbms.*, gds.*, db.*, user functions) is refused.
_FUNCTION_NAMESPACES = frozenset({"date", "datetime", "localdatetime", "localtime", "time", "duration", "point",
                                  "vector"})  # fmt: skip

# Neo4j's identifiers: letters, digits, connectors and combining marks of any script (RETURN d.title AS 标题).
_IDENTIFIER_CATEGORIES = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Nd", "Nl", "Mn", "Mc", "Pc"})

TokenKind = Literal["word", "name", "string", "number", "param", "punct"]


@dataclass(frozen=True)
class Token:
    kind: TokenKind  # word: a bare identifier or keyword; name: a back-quoted identifier
    text: str  # for word/name: the identifier itself (back-quotes removed, `` unescaped)


def _is_identifier_char(c: str) -> bool:
    return c == "_" or unicodedata.category(c) in _IDENTIFIER_CATEGORIES


def tokenize(query: str) -> list[Token]:
    """The tokens of a Cypher query, without whitespace and comments. Raises QueryRefused on an
    unterminated string, back-quoted name or comment (the database would refuse it anyway)."""
    tokens: list[Token] = []
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c.isspace():
            i += 1
        elif query.startswith("//", i):
            end = query.find("\n", i)
            i = n if end == -1 else end + 1
        elif query.startswith("/*", i):
            end = query.find("*/", i + 2)
            if end == -1:
                raise QueryRefused("unterminated comment")
            i = end + 2
        elif c in "'\"":
            end = _string_end(query, i)
            tokens.append(Token("string", query[i:end]))
            i = end
        elif c == "`":
            end, name = _quoted_name(query, i)
            tokens.append(Token("name", name))
            i = end
        elif c == "$":
            i += 1
            if i < n and query[i] == "`":
                i, name = _quoted_name(query, i)
            else:
                start = i
                while i < n and _is_identifier_char(query[i]):
                    i += 1
                name = query[start:i]
            tokens.append(Token("param", name))
        elif "0" <= c <= "9":
            start = i
            i += 1
            while i < n and (_is_identifier_char(query[i]) or (query[i] == "." and _digit_at(query, i + 1))):
                i += 1
            tokens.append(Token("number", query[start:i]))
        elif _is_identifier_char(c):
            start = i
            while i < n and _is_identifier_char(query[i]):
                i += 1
            tokens.append(Token("word", query[start:i]))
        else:
            tokens.append(Token("punct", c))
            i += 1
    return tokens


def _digit_at(query: str, i: int) -> bool:
    return i < len(query) and "0" <= query[i] <= "9"


def _string_end(query: str, start: int) -> int:
    quote, i = query[start], start + 1
    while i < len(query):
        if query[i] == "\\":
            i += 2
        elif query[i] == quote:
            return i + 1
        else:
            i += 1
    raise QueryRefused("unterminated string literal")


def _quoted_name(query: str, start: int) -> tuple[int, str]:
    """(index after the closing back-quote, the name) for a back-quoted name starting at `start`."""
    parts: list[str] = []
    i = start + 1
    while True:
        end = query.find("`", i)
        if end == -1:
            raise QueryRefused("unterminated back-quoted name")
        parts.append(query[i:end])
        if query.startswith("``", end):  # a doubled back-quote is a literal one
            parts.append("`")
            i = end + 2
            continue
        return end + 1, "".join(parts)


def _is_name(token: Token) -> bool:
    return token.kind in ("word", "name")


def _dotted_name(tokens: list[Token], start: int) -> tuple[str, int]:
    """The name `a.b.c` (parts bare or back-quoted) starting at tokens[start], and the index after it."""
    parts = [tokens[start].text]
    i = start + 1
    while i + 1 < len(tokens) and tokens[i] == Token("punct", ".") and _is_name(tokens[i + 1]):
        parts.append(tokens[i + 1].text)
        i += 2
    return ".".join(parts), i


def _is_keyword(tokens: list[Token], i: int) -> bool:
    """A bare word is a keyword unless it is a property key (`n.set`, `$p.set`, `(n).set`). Map keys and
    labels named like keywords (`{set: 1}`, `:Set`) are refused: back-quote them."""
    if i < 2 or tokens[i - 1] != Token("punct", "."):
        return True
    owner = tokens[i - 2]
    return not (_is_name(owner) or owner.kind == "param" or owner.text in ")]}")


def _check_call(tokens: list[Token], i: int) -> None:
    """tokens[i] is CALL: it must open a subquery or name an allowed read-only procedure."""
    after = tokens[i + 1] if i + 1 < len(tokens) else None
    if after is None:
        raise QueryRefused("CALL without a procedure or subquery")
    if after.kind == "punct" and after.text in "{(":
        return  # CALL { … } and CALL (x) { … }: a subquery, whose own tokens are checked like the rest
    if not _is_name(after):
        raise QueryRefused("CALL must name a procedure or open a subquery")
    name, _ = _dotted_name(tokens, i + 1)
    if name.lower() not in READ_PROCEDURES:
        raise QueryRefused(f"procedure {name} is not on the list of read-only procedures this endpoint allows")


def _check_function(tokens: list[Token], i: int) -> int:
    """A dotted name at tokens[i]; refuses it when it is a call of a function outside the built-in
    read-only namespaces. Returns the index after the name."""
    name, end = _dotted_name(tokens, i)
    is_call = end < len(tokens) and tokens[end] == Token("punct", "(")
    if is_call and "." in name and name.split(".", 1)[0].lower() not in _FUNCTION_NAMESPACES:
        raise QueryRefused(f"function {name} is not allowed in read-only queries")
    return end


def check_read_only(query: str) -> None:
    """Raise QueryRefused unless `query` is plainly read-only."""
    tokens = tokenize(query)
    if not tokens:
        raise QueryRefused("empty query")
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.kind == "word" and _is_keyword(tokens, i):
            keyword = token.text.upper()
            if keyword in _WRITE_OR_ADMIN:
                raise QueryRefused(f"{keyword} is not allowed: only read queries may run here")
            if keyword == "CALL":
                _check_call(tokens, i)
                i += 1
                if tokens[i].kind != "punct":
                    _, i = _dotted_name(tokens, i)  # the procedure's name, already checked
                continue
        if _is_name(token) and not (i >= 1 and tokens[i - 1] == Token("punct", ".")):
            i = _check_function(tokens, i)
            continue
        i += 1
