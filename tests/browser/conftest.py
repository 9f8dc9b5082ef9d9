"""The browser tests reuse the API fixtures: the seed in a store, and a live uvicorn serving it."""

from tests.api.conftest import live_server, memo_embedder, services  # noqa: F401  (fixtures by name)
