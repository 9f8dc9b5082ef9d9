"""Embedders. The service embeds passages and queries through one protocol."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol, runtime_checkable

from ingest.errors import ModelUnavailable

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

EmbeddingBackend = Literal["auto", "onnx", "torch"]

# bge-*-zh-v1.5 wants this instruction before short queries (not before passages).
BGE_QUERY_INSTRUCTION = "为这个句子生成表示以用于检索相关文章："


@runtime_checkable
class Embedder(Protocol):
    dimension: int

    def start(self) -> None: ...

    def embed_passages(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


class SentenceTransformerEmbedder:
    """bge-small-zh-v1.5 (or any sentence-transformers model) on CPU, normalised embeddings."""

    dimension = 512

    def __init__(
        self,
        model: str,
        *,
        batch_size: int = 32,
        query_instruction: str = BGE_QUERY_INSTRUCTION,
        show_progress: bool = False,
    ) -> None:
        self._model_ref = model
        self._batch_size = batch_size
        self._query_instruction = query_instruction
        self._show_progress = show_progress
        self._model: SentenceTransformer | None = None

    def start(self) -> None:
        if self._model is not None:
            return
        from sentence_transformers import SentenceTransformer

        try:
            self._model = SentenceTransformer(self._model_ref, device="cpu")
        except (OSError, ValueError) as exc:
            raise ModelUnavailable(
                f"cannot load embedding model {self._model_ref!r} ({exc}); "
                "build the local folder with `chuyi model fetch` or point CHUYI_EMBEDDING_MODEL at one"
            ) from exc
        # Renamed in sentence-transformers 5; accept both spellings.
        get_dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        dim = get_dim()
        if dim:
            self.dimension = int(dim)

    def _require(self) -> SentenceTransformer:
        if self._model is None:
            raise ModelUnavailable("embedder not started")
        return self._model

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self._require().encode(
            texts,
            batch_size=self._batch_size,
            normalize_embeddings=True,
            show_progress_bar=self._show_progress,
            convert_to_numpy=True,
        )
        return [v.tolist() for v in vectors]

    def embed_query(self, text: str) -> list[float]:
        vector = self._require().encode(
            [self._query_instruction + text], normalize_embeddings=True, convert_to_numpy=True
        )[0]
        return [float(x) for x in vector]


def make_embedder(
    model: str,
    *,
    backend: EmbeddingBackend = "auto",
    query_threads: int = 1,
    batch_size: int = 32,
    show_progress: bool = False,
) -> Embedder:
    """onnxruntime on the folder's model.onnx when it has one (`auto`), else sentence-transformers (torch),
    which also loads hub names. Nothing is loaded until start()."""
    from ingest.onnx_embedding import OnnxEmbedder, has_onnx_model

    folder = Path(model)
    if backend == "onnx" or (backend == "auto" and has_onnx_model(folder)):
        return OnnxEmbedder(folder, query_threads=query_threads, batch_size=batch_size, show_progress=show_progress)
    return SentenceTransformerEmbedder(model, batch_size=batch_size, show_progress=show_progress)
