"""Errors of the reference importers. They sit under the ingest root, so the API and CLI map them as ingest errors."""

from ingest.errors import IngestError


class ReferenceDataError(IngestError):
    """Root of the reference-data errors."""


class ReferenceDataMissing(ReferenceDataError):
    """A reference file we need was not found in the reference-data folder."""


class ReferenceDataInvalid(ReferenceDataError):
    """A reference or knowledge file does not validate (bad code, unknown parent, wrong columns …)."""
