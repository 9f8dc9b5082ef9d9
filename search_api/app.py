"""The FastAPI application factory. Models and connections open in the lifespan, not at import."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from search_api.errors import install_error_handlers
from search_api.routes import OPENAPI_TAGS, ask, cypher, documents, explore, health, match, search, vocabulary
from search_api.routes.page import install_page
from search_api.services import Services, start_services
from search_api.settings import Settings


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    """Build the app. Pass `services` to share already-started ones (tests, CLI); else they start here."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = services is None
        app.state.services = services or start_services(settings or Settings(), tolerate_store_down=True)
        try:
            yield
        finally:
            if owned:
                app.state.services.close()

    app = FastAPI(
        title="楚怡 knowledge graph and search",
        version="0.1.0",
        description="Knowledge graph and hybrid semantic search over Hunan 楚怡 vocational-education policy.",
        lifespan=lifespan,
    )
    app.openapi_tags = OPENAPI_TAGS
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(search.router)
    app.include_router(ask.router)
    app.include_router(explore.router)
    app.include_router(cypher.router)
    app.include_router(documents.router)
    app.include_router(match.router)
    app.include_router(vocabulary.router)
    install_page(app)
    return app
