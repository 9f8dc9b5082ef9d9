"""The one settings class. Read once at start-up (CLI or app factory) and passed down."""

import os
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from graph.neo4j_store import Neo4jTimeouts
from ingest.limits import IngestLimits


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CHUYI_", extra="ignore")

    store: Literal["embedded", "neo4j"] = "embedded"
    data_dir: Path = Path("data")
    neo4j_uri: str = "bolt://localhost:7687"
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr = SecretStr("neo4j")
    neo4j_database: str | None = None
    # How long the driver tries before a request answers 503 (graph.neo4j_store.Neo4jTimeouts says why these
    # defaults; scripts/bench_outage.py measures time-to-503 and time-to-recover with them).
    neo4j_connection_timeout_s: float = Field(default=1.0, gt=0)
    neo4j_acquisition_timeout_s: float = Field(default=2.0, gt=0)
    neo4j_retry_time_s: float = Field(default=0.5, ge=0)
    # A local sentence-transformers folder (built by `chuyi model fetch`) or a hub model name.
    embedding_model: str = "models/bge-small-zh-v1.5"
    embedding_batch_size: int = Field(default=32, ge=1)
    # auto: onnxruntime on the folder's model.onnx (6 ms a query), else sentence-transformers on torch.
    embedding_backend: Literal["auto", "onnx", "torch"] = "auto"
    # Threads for one query's encoding; 1 is fastest for a single short sequence (scripts/bench_encoder.py).
    embedding_query_threads: int = Field(default=1, ge=1, le=64)
    # Embed the sentences extractive answers score at ingest (kept in data_dir/cache, ingest.sentences)
    # instead of when a question comes: about twice the model time at ingest, and an ask at 100k passages
    # goes from ~3.7x a search to ~1.5x (docs/benchmarks.md). Off: they are embedded at the first question
    # that needs them, and kept.
    sentence_vectors_at_ingest: bool = True
    reference_dir: Path | None = None
    corpus_dir: Path = Path("corpora")
    # Folders of policy texts read in place (never copied) by every `chuyi ingest`, besides the paths it is
    # given: e.g. ../shared/data/lawrefbook-laws. Separated by os.pathsep (":" on Linux).
    library_dirs: Annotated[list[Path], NoDecode] = Field(default_factory=list)
    max_file_bytes: int = Field(default=20 * 1024 * 1024, ge=1)
    # Per document, checked while it is read (ingest.limits.IngestLimits has the measured defaults).
    max_text_chars: int = Field(default=2_000_000, ge=1)
    max_paragraphs: int = Field(default=50_000, ge=1)
    max_unpacked_bytes: int = Field(default=100 * 1024 * 1024, ge=1)
    ingest_timeout_s: float = Field(default=600.0, gt=0)
    max_report_bytes: int = Field(default=1024 * 1024, ge=1024)
    # Uploads larger than this run as a background job (202 and /api/jobs/{id}); smaller ones answer at once.
    job_threshold_bytes: int = Field(default=256 * 1024, ge=0)
    max_queued_jobs: int = Field(default=8, ge=1)
    # Request bodies other than uploads (JSON): refused while they stream in beyond this.
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    # The address the service is bound to (chuyi serve --host sets it): decides who may write without a key.
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    # Comma-separated keys for writes (uploads, deletes, reference reloads, /api/cypher), sent as X-API-Key
    # or Authorization: Bearer. Unset: writes only from this machine, and only while bound to loopback.
    api_keys: SecretStr | None = None
    # Comma-separated origins (https://example.org) whose pages may call the API; none by default.
    cors_origins: str = ""
    # Optional OpenAI-compatible endpoint that may phrase /api/ask answers from our evidence (never cites).
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: SecretStr | None = None

    @field_validator("library_dirs", mode="before")
    @classmethod
    def _split_dirs(cls, value: object) -> object:
        if isinstance(value, str):
            return [Path(part) for part in value.split(os.pathsep) if part.strip()]
        return value
    def api_key_list(self) -> list[str]:
        raw = self.api_keys.get_secret_value() if self.api_keys else ""
        return [k.strip() for k in raw.split(",") if k.strip()]

    def cors_origin_list(self) -> list[str]:
        return [o.strip().rstrip("/") for o in self.cors_origins.split(",") if o.strip()]

    def neo4j_timeouts(self) -> Neo4jTimeouts:
        return Neo4jTimeouts(
            connection_s=self.neo4j_connection_timeout_s,
            acquisition_s=self.neo4j_acquisition_timeout_s,
            retry_s=self.neo4j_retry_time_s,
        )

    def ingest_limits(self) -> IngestLimits:
        return IngestLimits(
            max_chars=self.max_text_chars,
            max_paragraphs=self.max_paragraphs,
            max_unpacked_bytes=self.max_unpacked_bytes,
            timeout_s=self.ingest_timeout_s,
        )
