"""What embedding the answer sentences at ingest costs: the library (corpora/policies and the 22 laws of
../shared/data/lawrefbook-laws) ingested into a fresh embedded store with the real model, twice in one
run — with CHUYI_SENTENCE_VECTORS_AT_INGEST's work and without — timing the model on passages and on
sentences apart. Prints a table to stderr and, last, one JSON line.

    .venv/bin/python scripts/bench_ingest_model.py [--laws DIR] [--model models/bge-small-zh-v1.5]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_corpus import DEFAULT_LAWS, ROOT

from graph.factory import make_store
from ingest.embedding import Embedder, make_embedder
from ingest.pipeline import IngestPipeline
from ingest.sentences import SentenceVectors


class Timed:
    """An embedder whose passage embeddings are timed (the pipeline uses embed_passages for both kinds)."""

    def __init__(self, inner: Embedder) -> None:
        self._inner = inner
        self.dimension = inner.dimension
        self.seconds = 0.0
        self.texts = 0

    def start(self) -> None:
        self._inner.start()

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        started = time.perf_counter()
        out = self._inner.embed_passages(texts)
        self.seconds += time.perf_counter() - started
        self.texts += len(texts)
        return out

    def embed_query(self, text: str) -> list[float]:
        return self._inner.embed_query(text)


def ingest(model: Embedder, paths: list[Path], with_sentences: bool) -> dict[str, float | int]:
    folder = Path(tempfile.mkdtemp(prefix="bench-ingest-model-"))
    store = make_store("embedded", data_dir=folder / "data")
    store.start()
    passages, sentences = Timed(model), Timed(model)
    kept = SentenceVectors(folder / "sentences.db") if with_sentences else None
    pipeline = IngestPipeline(
        store,
        passages,  # type: ignore[arg-type]  # an Embedder with its time counted
        max_file_bytes=20 * 2**20,
        progress=False,
        knowledge_dir=ROOT / "corpora" / "knowledge",
        sentence_vectors=kept,
        sentence_embedder=sentences,  # type: ignore[arg-type]
    )
    pipeline.prepare()
    started = time.perf_counter()
    summary = pipeline.ingest_paths(paths)
    total = time.perf_counter() - started
    store.close()
    if kept is not None:
        kept.close()
    return {
        "documents": summary.documents,
        "passages": passages.texts,
        "sentences": sentences.texts,
        "ingest_s": round(total, 1),
        "passage_model_s": round(passages.seconds, 1),
        "sentence_model_s": round(sentences.seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--laws", type=Path, default=DEFAULT_LAWS)
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "bge-small-zh-v1.5")
    args = parser.parse_args()
    model = make_embedder(str(args.model))
    model.start()
    paths = [ROOT / "corpora" / "policies", args.laws]
    without = ingest(model, paths, with_sentences=False)
    with_sentences = ingest(model, paths, with_sentences=True)
    for name, row in (("without sentence vectors", without), ("with sentence vectors", with_sentences)):
        print(f"{name:<26} {row}", file=sys.stderr)
    result = {
        "without": without,
        "with": with_sentences,
        "ingest_ratio": round(float(with_sentences["ingest_s"]) / float(without["ingest_s"]), 2),
        "model_ratio": round(
            (float(with_sentences["passage_model_s"]) + float(with_sentences["sentence_model_s"]))
            / max(float(without["passage_model_s"]), 1e-9),
            2,
        ),
    }
    print(json.dumps(result, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
