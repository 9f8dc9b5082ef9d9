"""The FastAPI application factory. Models and connections open in the lifespan, not at import."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from search_api.errors import SafeJSONResponse, install_error_handlers
from search_api.request_guard import MULTIPART_OVERHEAD, RequestGuard
from search_api.routes import (
    OPENAPI_TAGS,
    ask,
    cypher,
    documents,
    explore,
    export,
    health,
    jobs,
    match,
    search,
    vocabulary,
)
from search_api.routes.page import install_page
from search_api.security import WritePolicy
from search_api.services import Services, start_services
from search_api.settings import Settings

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    """Build the app. Pass `services` to share already-started ones (tests, CLI); else they start here."""
    config = settings or (services.settings if services is not None else Settings())
    policy = WritePolicy.from_settings(config)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = services is None
        # Who may write, said once at start-up (and in /healthz): refusing every write is worth a warning.
        (log.warning if policy.mode != "key" else log.info)("chuyi: %s", policy.describe())
        app.state.services = services or start_services(config, tolerate_store_down=True, warm_matching=True)
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
        default_response_class=SafeJSONResponse,
        docs_url=None,  # /docs and /redoc come from install_page, with their assets served here (offline)
        redoc_url=None,
    )
    app.state.write_policy = policy
    app.openapi_tags = OPENAPI_TAGS
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(search.router)
    app.include_router(ask.router)
    app.include_router(explore.router)
    app.include_router(cypher.router)
    app.include_router(documents.router)
    app.include_router(jobs.router)
    app.include_router(match.router)
    app.include_router(vocabulary.router)
    app.include_router(export.router)
    install_page(app)
    origins = config.cors_origin_list()
    if origins:  # none by default: no other site's page may call the API from a browser
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Content-Type", "X-API-Key", "Authorization"],
            max_age=600,
        )
    # Outermost: bodies are bounded before anything else reads them.
    app.add_middleware(
        RequestGuard,
        json_limit=config.max_body_bytes,
        upload_limit=config.max_file_bytes + MULTIPART_OVERHEAD,
        upload_path="/api/documents",
    )
    return app
