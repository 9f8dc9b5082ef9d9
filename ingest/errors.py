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
