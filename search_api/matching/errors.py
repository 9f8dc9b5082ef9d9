"""Errors of matching. No HTTP status here: search_api/errors.py maps them, search_api/cli.py gives the exit code."""

from __future__ import annotations


class MatchingError(Exception):
    """Root of the errors the matching package raises."""


class UnknownIndustry(MatchingError):
    """The words name no industry chain, GB/T 4754 code or industry we can recognise."""


class UnknownSpecialty(MatchingError):
    """No 专业 of the catalogue has this name or code."""


class UnknownSchool(MatchingError):
    """No school (Organization) of this name or id is in the graph."""


class ReferenceNotLoaded(MatchingError):
    """Matching needs the 专业目录 and GB/T 4754 in the store (CHUYI_REFERENCE_DIR, then `chuyi ingest`)."""
