"""bge-small-zh-v1.5 on onnxruntime: the ONNX file `chuyi model fetch` already puts in the model folder.

Chosen over sentence-transformers' ONNX backend, which needs optimum and re-exports the model, and over
torch, which the scale benchmark measured at 15 ms (1 thread) / 22 ms (2 threads) a query against 6–7 ms
here with identical vectors (tests/test_model.py: cosine ≥ 0.9999), and 25× slower on a busy machine.
Queries and passages use separate sessions: a query is one short sequence, where more than one thread only
adds synchronisation, while bulk passages are worth every core.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ingest.embedding import BGE_QUERY_INSTRUCTION
from ingest.errors import ModelUnavailable

if TYPE_CHECKING:
    import onnxruntime
    from tokenizers import Tokenizer

ONNX_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
MAX_TOKENS = 512  # bge-small-zh-v1.5's max_seq_length (sentence_bert_config.json)


def has_onnx_model(folder: Path) -> bool:
    return (folder / ONNX_FILE).is_file() and (folder / TOKENIZER_FILE).is_file()


class OnnxEmbedder:
    """CLS pooling and L2 normalisation over the ONNX BERT, as the sentence-transformers folder declares."""

    dimension = 512

    def __init__(
        self,
        model_dir: Path,
        *,
        query_threads: int = 1,
        passage_threads: int = 0,
        batch_size: int = 32,
        query_instruction: str = BGE_QUERY_INSTRUCTION,
        show_progress: bool = False,
    ) -> None:
        self._dir = model_dir
        self._query_threads = query_threads
        self._passage_threads = passage_threads  # 0: onnxruntime's default (one per core)
        self._batch_size = batch_size
        self._query_instruction = query_instruction
        self._show_progress = show_progress
        self._tokenizer: Tokenizer | None = None
        self._query_session: onnxruntime.InferenceSession | None = None
        self._passage_session: onnxruntime.InferenceSession | None = None

    def start(self) -> None:
        if self._tokenizer is not None:
            return
        if not has_onnx_model(self._dir):
            raise ModelUnavailable(
                f"no {ONNX_FILE} and {TOKENIZER_FILE} in {self._dir}: build the folder with `chuyi model fetch`"
            )
        import onnxruntime as ort
        from tokenizers import Tokenizer

        def session(threads: int) -> ort.InferenceSession:
            options = ort.SessionOptions()
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
            return ort.InferenceSession(str(self._dir / ONNX_FILE), options, providers=["CPUExecutionProvider"])

        try:
            tokenizer = Tokenizer.from_file(str(self._dir / TOKENIZER_FILE))
            tokenizer.enable_truncation(MAX_TOKENS)
            tokenizer.no_padding()
            self._query_session = session(self._query_threads)
            self._passage_session = session(self._passage_threads)
        except Exception as exc:  # onnxruntime raises its own exception types for a broken file
            raise ModelUnavailable(f"cannot load the ONNX model in {self._dir}: {exc}") from exc
        self._tokenizer = tokenizer
        outputs = self._query_session.get_outputs()
        self.dimension = int(outputs[0].shape[-1])

    def _encode(self, session: onnxruntime.InferenceSession, texts: list[str]) -> np.ndarray:
        assert self._tokenizer is not None
        encodings = self._tokenizer.encode_batch(texts)
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(texts), width), dtype=np.int64)
        mask = np.zeros((len(texts), width), dtype=np.int64)
        for row, enc in enumerate(encodings):
            ids[row, : len(enc.ids)] = enc.ids
            mask[row, : len(enc.ids)] = 1
        feeds: dict[str, Any] = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        cls = session.run(None, feeds)[0][:, 0, :]
        norms = np.linalg.norm(cls, axis=1, keepdims=True)
        return cls / np.where(norms > 0, norms, 1.0)

    def _sessions(self) -> tuple[onnxruntime.InferenceSession, onnxruntime.InferenceSession]:
        if self._query_session is None or self._passage_session is None:
            raise ModelUnavailable("embedder not started")
        return self._query_session, self._passage_session

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        _, passages = self._sessions()
        # Batches of similar length waste little on padding; results go back in the caller's order.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out: list[list[float]] = [[] for _ in texts]
        starts: Iterable[int] = range(0, len(order), self._batch_size)
        if self._show_progress:
            from tqdm import tqdm

            starts = tqdm(starts, desc="嵌入", unit="批")
        for start in starts:
            batch = order[start : start + self._batch_size]
            for i, vec in zip(batch, self._encode(passages, [texts[i] for i in batch]), strict=True):
                out[i] = vec.tolist()
        return out

    def embed_query(self, text: str) -> list[float]:
        query, _ = self._sessions()
        return self._encode(query, [self._query_instruction + text])[0].tolist()
