"""Errors of the references package. No HTTP status here: search_api/errors.py maps them."""

from __future__ import annotations


class ReferencesError(Exception):
    """Root of the errors the references package raises."""


class AliasTableInvalid(ReferencesError):
    """corpora/knowledge/law_aliases.csv cannot be read (a missing column or source note)."""


class UnknownDocument(ReferencesError):
    """A request is scoped to a document id the library does not hold."""
