"""The one settings class. Read once at start-up (CLI or app factory) and passed down."""

import os
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CHUYI_", extra="ignore")

    store: Literal["embedded", "neo4j"] = "embedded"
    data_dir: Path = Path("data")
    neo4j_uri: str = "bolt://localhost:7687"
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr = SecretStr("neo4j")
    neo4j_database: str | None = None
    # A local sentence-transformers folder (built by `chuyi model fetch`) or a hub model name.
    embedding_model: str = "models/bge-small-zh-v1.5"
    embedding_batch_size: int = Field(default=32, ge=1)
    # auto: onnxruntime on the folder's model.onnx (6 ms a query), else sentence-transformers on torch.
    embedding_backend: Literal["auto", "onnx", "torch"] = "auto"
    # Threads for one query's encoding; 1 is fastest for a single short sequence (scripts/bench_encoder.py).
    embedding_query_threads: int = Field(default=1, ge=1, le=64)
    reference_dir: Path | None = None
    corpus_dir: Path = Path("corpora")
    # Folders of policy texts read in place (never copied) by every `chuyi ingest`, besides the paths it is
    # given: e.g. ../shared/data/lawrefbook-laws. Separated by os.pathsep (":" on Linux).
    library_dirs: Annotated[list[Path], NoDecode] = Field(default_factory=list)
    max_file_bytes: int = Field(default=20 * 1024 * 1024, ge=1)
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
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
