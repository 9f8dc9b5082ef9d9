"""Shared fixtures: the real model (and its per-text memo), a real Neo4j (started by scripts/test), the seed
document, and the sibling ../shared folder (read only through fixtures, so collection never needs it)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.factory import make_store
from graph.store import GraphStore
from ingest.embedding import Embedder, SentenceTransformerEmbedder, make_embedder

ROOT = Path(__file__).resolve().parent.parent
MODEL_DIR = ROOT / "models" / "bge-small-zh-v1.5"
CORPUS_DIR = ROOT / "corpora"
SEED = CORPUS_DIR / "policies" / "湖南省职业教育楚怡行动计划_五部门.txt"
SHARED = ROOT.parent / "shared"


def _neo4j_uri() -> str | None:
    return os.environ.get("CHUYI_TEST_NEO4J_URI")


@pytest.fixture(scope="session")
def model_dir() -> Path:
    if not (MODEL_DIR / "model.safetensors").exists():
        pytest.fail(f"model folder {MODEL_DIR} missing: run `bash scripts/fetch-model` (scripts/test does)")
    return MODEL_DIR


@pytest.fixture(scope="session")
def embedder(model_dir: Path) -> Embedder:
    """The encoder the service runs (make_embedder: onnxruntime on the folder's model.onnx)."""
    emb = make_embedder(str(model_dir))
    emb.start()
    return emb


class MemoEmbedder:
    """The real model, memoised per text: tests ingest the same seed many times, and the vectors of a
    text never change, so each is computed once per session."""

    def __init__(self, inner: Embedder) -> None:
        self._inner = inner
        self.dimension = inner.dimension
        self._passages: dict[str, list[float]] = {}
        self._queries: dict[str, list[float]] = {}

    def start(self) -> None:
        self._inner.start()

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        missing = [t for t in dict.fromkeys(texts) if t not in self._passages]
        if missing:
            self._passages.update(zip(missing, self._inner.embed_passages(missing), strict=True))
        return [self._passages[t] for t in texts]

    def embed_query(self, text: str) -> list[float]:
        if text not in self._queries:
            self._queries[text] = self._inner.embed_query(text)
        return self._queries[text]


@pytest.fixture(scope="session")
def torch_embedder(model_dir: Path) -> SentenceTransformerEmbedder:
    """sentence-transformers on torch over the converted weights: the reference the ONNX encoder must equal."""
    emb = SentenceTransformerEmbedder(str(model_dir))
    emb.start()
    return emb


@pytest.fixture(scope="session")
def memo_embedder(embedder: Embedder) -> MemoEmbedder:
    return MemoEmbedder(embedder)


def shared_path(relative: str | Path) -> Path:
    """A file or folder of ../shared; fails the calling test with a clear message when it is absent
    (../shared is a sibling checkout, not part of this repository)."""
    path = SHARED / relative
    if not path.exists():
        pytest.fail(f"{path} is missing: these tests need the sibling ../shared checkout next to this repository")
    return path


@pytest.fixture(scope="session")
def neo4j_uri() -> str:
    uri = _neo4j_uri()
    if uri is None:
        if os.environ.get("CHUYI_REQUIRE_NEO4J") or os.environ.get("CI"):
            pytest.fail("CHUYI_TEST_NEO4J_URI is not set but Neo4j tests are required (run scripts/test)")
        pytest.skip("no Neo4j server: run the suite through scripts/test, which starts one")
    return uri


def clear_neo4j(uri: str) -> None:
    """Empty the test database (data and our indexes) so each test starts from nothing."""
    from neo4j import GraphDatabase

    with GraphDatabase.driver(uri, auth=("neo4j", "neo4j")) as driver, driver.session() as session:
        session.run("MATCH (n) DETACH DELETE n").consume()


@pytest.fixture
def clean_neo4j(neo4j_uri: str) -> Iterator[str]:
    clear_neo4j(neo4j_uri)
    yield neo4j_uri


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """A started, empty store of each kind."""
    if request.param == "neo4j":
        uri = request.getfixturevalue("clean_neo4j")
        s: GraphStore = make_store("neo4j", data_dir=tmp_path, neo4j_uri=uri)
    else:
        s = make_store("embedded", data_dir=tmp_path / "data")
    s.start()
    yield s
    s.close()
