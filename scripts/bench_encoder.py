"""Query and passage encoding speed: onnxruntime (the default) against sentence-transformers on torch.

    .venv/bin/python scripts/bench_encoder.py [--model models/bge-small-zh-v1.5] [--rounds 200]

Prints one line per backend and thread count, then one JSON line. Medians from one run: the machine is shared,
so compare the ratios within a run, not times across runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.embedding import Embedder, SentenceTransformerEmbedder  # noqa: E402
from ingest.onnx_embedding import OnnxEmbedder  # noqa: E402

QUESTIONS = [
    "职业教育法第三条是怎么规定的",
    "给紧缺技能人才的住房优惠",
    "哪些部门联合印发了楚怡行动计划",
    "加班费怎么算",
]
PASSAGE = "支持湖南工业职业技术学院、新化县楚怡工业学校建设“楚怡”文化传承基地，传承弘扬楚怡精神。" * 4


def query_p50(embedder: Embedder, rounds: int) -> float:
    embedder.embed_query("预热")
    times = []
    for i in range(rounds):
        t = time.perf_counter()
        embedder.embed_query(QUESTIONS[i % len(QUESTIONS)] + str(i))
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def passages_per_s(embedder: Embedder, count: int) -> float:
    texts = [f"{i}{PASSAGE}" for i in range(count)]
    t = time.perf_counter()
    embedder.embed_passages(texts)
    return count / (time.perf_counter() - t)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default=str(ROOT / "models" / "bge-small-zh-v1.5"))
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--passages", type=int, default=256)
    args = parser.parse_args()
    import torch

    result: dict[str, float] = {}
    for threads in (1, 2):
        onnx = OnnxEmbedder(Path(args.model), query_threads=threads, passage_threads=threads)
        onnx.start()
        torch.set_num_threads(threads)
        st = SentenceTransformerEmbedder(args.model)
        st.start()
        for name, emb in (("onnx", onnx), ("torch", st)):
            q = query_p50(emb, args.rounds)
            p = passages_per_s(emb, args.passages)
            result[f"{name}_{threads}t_query_p50_ms"] = round(q, 2)
            result[f"{name}_{threads}t_passages_per_s"] = round(p, 1)
            print(f"{name:5} {threads} thread(s): query p50 {q:7.2f} ms   passages {p:7.1f}/s")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
