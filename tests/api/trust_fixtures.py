"""Fixtures for the trust tests (keys, limits, hostile input, fuzzing), imported by name by the test
modules that use them: a seeded embedded store behind an app configured with API keys, and helpers
to compare the store before and after a refused write."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from graph.factory import make_store
from graph.store import GraphStore
from search_api.app import create_app
from search_api.services import Services
from tests.api.conftest import MemoEmbedder, ingest_seed, make_services
from tests.reference.conftest import LoadedReference

KEY = "test-key-0123456789abcdef"  # ASCII: keys travel in HTTP headers
KEYS = f"{KEY},second-key-fedcba9876543210"
AUTH = {"X-API-Key": KEY}


def snapshot(store: GraphStore) -> tuple[Any, ...]:
    """What a refused write must leave unchanged: the counts and the documents."""
    stats = store.stats()
    docs = sorted((d.id, d.sha256, d.source) for d in store.list_documents())
    return stats.nodes, stats.relationships, docs


def seeded_services(
    embedder: MemoEmbedder, data_dir: Path, *, seed: bool = True, **settings: object
) -> tuple[Services, GraphStore]:
    store = make_store("embedded", data_dir=data_dir / "store")
    store.start()
    services = make_services(store, embedder, data_dir, **settings)
    if seed:
        ingest_seed(services)
    return services, store


@dataclass
class Served:
    client: TestClient
    services: Services

    @property
    def store(self) -> GraphStore:
        return self.services.store


def serve(services: Services, **client_options: Any) -> TestClient:
    return TestClient(create_app(services.settings, services), **client_options)


@pytest.fixture
def keyed(memo_embedder: MemoEmbedder, tmp_path: Path) -> Iterator[Served]:
    """The seed in an embedded store, served with two API keys configured."""
    services, store = seeded_services(memo_embedder, tmp_path / "data", api_keys=KEYS)
    with serve(services) as client:
        yield Served(client, services)
    services.jobs.shutdown()
    store.close()


def wait_for_job(client: TestClient, job_id: str, timeout: float = 180.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["status"] not in ("queued", "running"):
            return dict(job)
        assert time.monotonic() < deadline, f"job still {job['status']}: {job}"
        time.sleep(0.1)


def copy_of_reference_store(
    loaded: LoadedReference, match_data_dir: Path, embedder: MemoEmbedder, target: Path, **settings: object
) -> tuple[Services, GraphStore]:
    """A throwaway copy of the reference session store (the seed, a law, the reference data, SERVES)
    and of its name-vector cache: hostile writes land here, and matching answers as in production
    instead of 503 reference_data_missing."""
    source_store = loaded.services.store
    assert source_store.name == "embedded"
    shutil.copytree(match_data_dir / "store", target / "store")
    if (match_data_dir / "cache").is_dir():
        shutil.copytree(match_data_dir / "cache", target / "cache")
    store = make_store("embedded", data_dir=target / "store")
    store.start()
    services = make_services(store, embedder, target, **settings)
    services.ingest_pipeline().prepare()
    services.ask.gazetteer.refresh()
    return services, store
