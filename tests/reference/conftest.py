"""Reference-data fixtures: the shared reference folder, and one embedded store holding the reference
graph, our knowledge, SERVES scores and two real policy texts, served by the real app (session-wide:
loading and embedding the catalogues once is what a deployment does too)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from graph.factory import make_store
from graph.store import GraphStore
from search_api.app import create_app
from search_api.matching.refresh import ReferenceLoad, refresh_serves
from search_api.services import Services
from search_api.settings import Settings
from tests.conftest import CORPUS_DIR, MODEL_DIR, SEED, SHARED, MemoEmbedder

CATALOGUE = Path("gk-job-helper") / "vocational-2021.csv"
GBT = Path("ramwin-china-public-data") / "gbt4754_2017.json"
INSTITUTIONS_CSV = Path("ramwin-china-public-data") / "moe_higher_education_institutions_2017.csv"
INSTITUTIONS_JSON = Path("ramwin-china-public-data") / "moe_higher_education_institutions_2017.json"
# A real national law that names 护理/康养 (第五十条 of the 2022 职业教育法): evidence for matching.
VOCATIONAL_LAW = Path("lawrefbook-laws") / "national" / "职业教育法(2022-04-20).md"
KNOWLEDGE_DIR = CORPUS_DIR / "knowledge"


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    """The reference-data folder: CHUYI_TEST_REFERENCE_DIR (scripts/test sets it) or ../shared/data."""
    folder = Path(os.environ.get("CHUYI_TEST_REFERENCE_DIR") or SHARED / "data")
    needed = (CATALOGUE, GBT, INSTITUTIONS_CSV, INSTITUTIONS_JSON, VOCATIONAL_LAW)
    missing = [str(p) for p in needed if not (folder / p).is_file()]
    if missing:
        pytest.fail(f"reference data missing in {folder}: {missing}; these tests need the sibling ../shared "
                    "checkout (or CHUYI_TEST_REFERENCE_DIR)")  # fmt: skip
    return folder


@pytest.fixture(scope="session")
def match_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data folder for the session, so the name-vector cache is built once and reused."""
    return tmp_path_factory.mktemp("match-data")


def reference_settings(store: GraphStore, reference_dir: Path, data_dir: Path) -> Settings:
    return Settings(
        store=store.name,  # type: ignore[arg-type]
        data_dir=data_dir,
        corpus_dir=CORPUS_DIR,
        embedding_model=str(MODEL_DIR),
        reference_dir=reference_dir,
    )


def load_reference_step(services: Services) -> ReferenceLoad:
    """What `chuyi ingest` does after the documents: the reference data, then matching's SERVES."""
    return refresh_serves(services.store, services.matching, services.load_reference())


class LoadedReference:
    def __init__(self, services: Services, load: ReferenceLoad) -> None:
        self.services = services
        self.load = load


@pytest.fixture(scope="session")
def loaded(
    reference_dir: Path, match_data_dir: Path, memo_embedder: MemoEmbedder
) -> Iterator[LoadedReference]:
    """An embedded store with the seed, the 2022 职业教育法, the reference data, our knowledge and SERVES."""
    store = make_store("embedded", data_dir=match_data_dir / "store")
    store.start()
    services = Services.create(reference_settings(store, reference_dir, match_data_dir), store, memo_embedder)
    summary = services.ingest_pipeline().ingest_paths([SEED, reference_dir / VOCATIONAL_LAW])
    assert summary.ok, summary.errors
    load = load_reference_step(services)
    yield LoadedReference(services, load)
    store.close()


@pytest.fixture(scope="session")
def client(loaded: LoadedReference) -> Iterator[TestClient]:
    with TestClient(create_app(loaded.services.settings, loaded.services)) as c:
        yield c
