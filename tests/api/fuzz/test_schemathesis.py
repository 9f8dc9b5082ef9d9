"""Schemathesis against the app's own OpenAPI, bounded: every operation gets generated requests (valid
and invalid ones), with an API key so that uploads, deletes, reloads and job cancels are exercised,
on a throwaway copy of the reference store. All of schemathesis' checks run: no server error, status
codes, content types, headers and bodies as documented, auth enforced where it is declared.

/api/cypher answers 501 on the embedded store by design (no Cypher there, documented and asserted in
tests/api/test_graph_api.py); it is fuzzed on Neo4j instead (test_cypher_on_neo4j)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from graph.factory import make_store
from search_api.app import create_app
from search_api.settings import Settings
from tests.api.conftest import MemoEmbedder, ingest_seed, make_services
from tests.api.trust_fixtures import AUTH, KEYS, Served, copy_of_reference_store, serve, snapshot
from tests.reference.conftest import LoadedReference

pytestmark = pytest.mark.slow  # hundreds of generated requests, and a Neo4j run

# Examples per operation and mode: 17 operations × 2 modes, about 700 requests in under two minutes on
# two busy cores (measured: see README).
EXAMPLES = 60
SENT: list[int] = []  # status of every request the fuzzer sent, for the summary test


@pytest.fixture(scope="module")
def fuzzed(
    loaded: LoadedReference, match_data_dir: Path, memo_embedder: MemoEmbedder, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    services, store = copy_of_reference_store(
        loaded, match_data_dir, memo_embedder, tmp_path_factory.mktemp("fuzz"), api_keys=KEYS
    )
    with serve(services) as client:
        yield Served(client, services)
    services.jobs.shutdown()
    store.close()


@pytest.fixture(scope="module")
def fuzz_started() -> dict[str, float]:
    return {"at": time.monotonic()}


def _labels(keep: Callable[[str], bool]) -> list[str]:
    """The operations of the app's OpenAPI (the spec needs no services: read it at collection)."""
    spec = create_app(Settings()).openapi()
    return [f"{m.upper()} {p}" for p, ops in spec["paths"].items() for m in ops if keep(p)]


LABELS = _labels(lambda path: path != "/api/cypher")
MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]


@pytest.fixture(scope="module")
def api_schema(fuzzed: Served, fuzz_started: dict[str, float]) -> Any:
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(fuzzed.services.settings, fuzzed.services))


# A schema-valid upload need not be a document we can read: the schema says "a file", ingest says
# whether it holds a policy text (415 for a .png, 422 for random bytes); likewise a string need not be
# Cypher (400 invalid_query). Every other check runs on them.
_SEMANTIC_BODY = {"POST /api/documents": [positive_data_acceptance], "POST /api/cypher": [positive_data_acceptance]}


def _fuzz(schema: Any, label: str, mode: GenerationMode, examples: int) -> None:
    operation = next(r.ok() for r in schema.get_all_operations() if r.ok().label == label)

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(case: Any) -> None:
        response = case.call_and_validate(headers=AUTH, excluded_checks=_SEMANTIC_BODY.get(label))
        SENT.append(response.status_code)

    try:
        run()
    except Unsatisfiable:
        # No invalid request exists for an operation without parameters, or whose only parameter is
        # a free path string (GET /healthz, GET /api/documents/{doc_id}): nothing negative to send.
        assert mode == GenerationMode.NEGATIVE, label


@pytest.mark.parametrize("mode", MODES, ids=str)
@pytest.mark.parametrize("label", LABELS)
def test_operation(api_schema: Any, label: str, mode: GenerationMode) -> None:
    _fuzz(api_schema, label, mode, EXAMPLES)


def test_the_store_survived_and_the_run_was_bounded(fuzzed: Served, fuzz_started: dict[str, float]) -> None:
    """After the fuzzing (this runs after it in file order): the store still answers, nothing was a 5xx."""
    assert fuzzed.client.get("/healthz").status_code == 200
    statuses = sorted(set(SENT))
    print(f"schemathesis: {len(SENT)} requests, statuses {statuses}, {time.monotonic() - fuzz_started['at']:.0f} s")
    assert SENT and max(SENT) < 500
    assert snapshot(fuzzed.store)[2] is not None
    assert time.monotonic() - fuzz_started["at"] < 600


@pytest.fixture
def neo4j_schema(clean_neo4j: str, memo_embedder: MemoEmbedder, tmp_path: Path) -> Iterator[Any]:
    store = make_store("neo4j", data_dir=tmp_path, neo4j_uri=clean_neo4j)
    store.start()
    services = make_services(store, memo_embedder, tmp_path / "data", api_keys=KEYS)
    ingest_seed(services)
    with serve(services):
        yield schemathesis.openapi.from_asgi("/openapi.json", create_app(services.settings, services))
    store.close()


@pytest.mark.neo4j
@pytest.mark.parametrize("mode", MODES, ids=str)
def test_cypher_on_neo4j(neo4j_schema: Any, mode: GenerationMode) -> None:
    before = neo4j_schema  # the store's guard and read transaction hold whatever the fuzzer sends
    _fuzz(before, "POST /api/cypher", mode, 40)
