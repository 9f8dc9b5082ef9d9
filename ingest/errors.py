"""Errors raised by ingest. `IngestError` is the root; the CLI and the API map it in one place each."""


class IngestError(Exception):
    """Root of every error the ingest package raises."""


class UnsupportedFormat(IngestError):
    """The file's extension is not one we can load."""


class FileTooLarge(IngestError):
    """The file is larger than the configured limit."""


class EmptyDocument(IngestError):
    """The file holds no text."""


class DecodeFailed(IngestError):
    """The bytes are binary or in an encoding we cannot decode."""


class CorruptFile(IngestError):
    """A structured format (PDF, docx) could not be parsed."""


class ModelUnavailable(IngestError):
    """The embedding model cannot be obtained or loaded."""


class EmbeddingFailed(IngestError):
    """Embedding a document's passages failed part-way; nothing of the document was written."""


class KnowledgeInvalid(IngestError):
    """A curated knowledge table in corpora/knowledge is malformed."""


class LimitExceeded(IngestError):
    """The document is over one of its limits (text, unpacked size, time); nothing of it was written."""


class TooMuchText(LimitExceeded):
    """The document holds more characters or paragraphs than a document may."""


class UnpackedTooLarge(LimitExceeded):
    """A .docx (a zip archive) declares more unpacked bytes or entries than allowed: a zip bomb."""


class IngestTimedOut(LimitExceeded):
    """Ingesting the document took longer than allowed."""


class IngestCancelled(IngestError):
    """The ingest was cancelled before it wrote anything."""
