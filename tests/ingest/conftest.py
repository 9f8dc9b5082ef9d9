"""Fixtures for the ingest tests: our curated knowledge, the document builder, the seed and test data."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.bundle import BuiltDocument, DocumentBuilder
from ingest.knowledge import KnowledgeBase
from ingest.loaders import load_file
from tests.conftest import CORPUS_DIR, SEED, shared_path

KNOWLEDGE_DIR = CORPUS_DIR / "knowledge"
DATA = Path(__file__).resolve().parent / "data"
UNSEEN = DATA / "株洲市楚怡行动实施方案_测试数据.txt"  # written by us, see data/README.md
LAWS = Path("data") / "lawrefbook-laws"  # under ../shared


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load(KNOWLEDGE_DIR)


@pytest.fixture(scope="session")
def builder(kb: KnowledgeBase) -> DocumentBuilder:
    return DocumentBuilder(kb)


@pytest.fixture(scope="session")
def seed_built(builder: DocumentBuilder) -> BuiltDocument:
    return builder.build(load_file(SEED, 10**7))


@pytest.fixture(scope="session")
def unseen_built(builder: DocumentBuilder) -> BuiltDocument:
    return builder.build(load_file(UNSEEN, 10**7))


@pytest.fixture(scope="session")
def law_files() -> list[Path]:
    """The 22 laws of ../shared/data/lawrefbook-laws (not in this repository)."""
    files = sorted(p for p in shared_path(LAWS).rglob("*.md") if p.name != "SOURCES.md")
    assert len(files) == 22
    return files
