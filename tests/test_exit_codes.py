"""Each error root maps to its own CLI exit code (search_api/cli.py is the one place that maps them)."""

from __future__ import annotations

from graph.errors import StoreUnavailable
from ingest.errors import ModelUnavailable
from search_api.cli import (
    EXIT_ERROR,
    EXIT_MATCHING,
    EXIT_MODEL_UNAVAILABLE,
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_STORE_UNAVAILABLE,
    EXIT_USAGE,
    exit_code_for,
)
from search_api.matching.errors import ReferenceNotLoaded, UnknownIndustry


def test_exit_codes_by_error_kind() -> None:
    assert exit_code_for(StoreUnavailable("down")) == EXIT_STORE_UNAVAILABLE
    assert exit_code_for(ModelUnavailable("gone")) == EXIT_MODEL_UNAVAILABLE
    assert exit_code_for(ReferenceNotLoaded("no catalogue")) == EXIT_MATCHING
    assert exit_code_for(UnknownIndustry("qwertyuiop")) == EXIT_MATCHING
    assert exit_code_for(ValueError("other")) == EXIT_ERROR
    assert len({EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_STORE_UNAVAILABLE, EXIT_MODEL_UNAVAILABLE, EXIT_ERROR,
                EXIT_MATCHING}) == 7  # fmt: skip
