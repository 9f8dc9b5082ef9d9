"""The onnxruntime encoder (the service's default) gives the vectors the sentence-transformers one gives."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ingest.embedding import SentenceTransformerEmbedder, make_embedder
from ingest.errors import ModelUnavailable
from ingest.onnx_embedding import OnnxEmbedder

pytestmark = pytest.mark.model

TEXTS = [
    "湖南省发展和改革委员会、湖南省教育厅等五部门联合印发职业教育“楚怡”行动计划。",
    "遴选建设 10 所“楚怡”高水平高职院校。",
    "用人单位应当保证劳动者每周至少休息一日。",
    "職業教育是與普通教育具有同等重要地位的教育類型。",  # traditional characters
    "短",
    "国家鼓励发展多种层次和形式的职业教育，" * 60,  # longer than 512 tokens: truncated like the torch path
]


@pytest.fixture(scope="module")
def onnx_embedder(model_dir: Path) -> OnnxEmbedder:
    emb = OnnxEmbedder(model_dir)
    emb.start()
    return emb


def test_passages_equal_the_torch_encoder(
    onnx_embedder: OnnxEmbedder, torch_embedder: SentenceTransformerEmbedder
) -> None:
    ours = np.array(onnx_embedder.embed_passages(TEXTS))
    torch = np.array(torch_embedder.embed_passages(TEXTS))
    assert ours.shape == (len(TEXTS), 512)
    cosines = np.sum(ours * torch, axis=1)
    assert np.all(cosines >= 0.9999), cosines
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


def test_queries_equal_the_torch_encoder(
    onnx_embedder: OnnxEmbedder, torch_embedder: SentenceTransformerEmbedder
) -> None:
    for question in ("劳动法第九条", "给紧缺技能人才的住房优惠"):
        cosine = float(np.dot(onnx_embedder.embed_query(question), torch_embedder.embed_query(question)))
        assert cosine >= 0.9999, (question, cosine)


def test_batches_keep_the_callers_order(onnx_embedder: OnnxEmbedder) -> None:
    one_by_one = [onnx_embedder.embed_passages([t])[0] for t in TEXTS]
    batched = onnx_embedder.embed_passages(TEXTS)
    assert np.allclose(np.array(one_by_one), np.array(batched), atol=1e-4)
    assert onnx_embedder.embed_passages([]) == []


def test_auto_backend_picks_onnx_for_a_built_folder(model_dir: Path) -> None:
    assert isinstance(make_embedder(str(model_dir)), OnnxEmbedder)
    assert isinstance(make_embedder(str(model_dir), backend="torch"), SentenceTransformerEmbedder)
    assert isinstance(make_embedder("BAAI/bge-small-zh-v1.5"), SentenceTransformerEmbedder)


def test_a_folder_without_the_onnx_file_is_a_clear_error(tmp_path: Path) -> None:
    emb = OnnxEmbedder(tmp_path)
    with pytest.raises(ModelUnavailable, match="chuyi model fetch"):
        emb.start()
    with pytest.raises(ModelUnavailable, match="not started"):
        emb.embed_query("职业教育")
