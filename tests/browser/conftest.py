"""The browser tests reuse the API fixtures: the seed in a store, and a live uvicorn serving it."""

from tests.api.conftest import embedded_seed, live_server, neo4j_seed, services, store  # noqa: F401  (fixtures by name)
