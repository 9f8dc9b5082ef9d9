"""FastAPI dependencies: each route gets the one started service it uses, from the app state.

Every dependency that reaches the store first makes sure it is started (`Services.ensure_store`), so a
store that was down at start-up answers 503 until it comes up, then connects by itself.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from graph.store import GraphStore
from search_api.ask.service import AskService
from search_api.documents import DocumentService
from search_api.explore.service import ExploreService
from search_api.exports import ExportService
from search_api.jobs import JobRunner
from search_api.matching.service import MatchService
from search_api.search import SearchService
from search_api.services import Services
from search_api.settings import Settings


def _started(request: Request) -> Services:
    services: Services = request.app.state.services
    services.ensure_store()
    return services


def search_service(request: Request) -> SearchService:
    return _started(request).search


def ask_service(request: Request) -> AskService:
    return _started(request).ask


def explore_service(request: Request) -> ExploreService:
    return _started(request).explore


def document_service(request: Request) -> DocumentService:
    return _started(request).documents


def matching_service(request: Request) -> MatchService:
    return _started(request).matching


def export_service(request: Request) -> ExportService:
    return _started(request).exports


def started_store(request: Request) -> GraphStore:
    return _started(request).store


def started_services(request: Request) -> Services:
    return _started(request)


def job_runner(request: Request) -> JobRunner:
    """The background jobs (no store needed to read them)."""
    services: Services = request.app.state.services
    return services.jobs


def settings(request: Request) -> Settings:
    """The settings the service started with (no store needed)."""
    services: Services = request.app.state.services
    return services.settings


SearchDep = Annotated[SearchService, Depends(search_service)]
AskDep = Annotated[AskService, Depends(ask_service)]
ExploreDep = Annotated[ExploreService, Depends(explore_service)]
DocumentsDep = Annotated[DocumentService, Depends(document_service)]
MatchingDep = Annotated[MatchService, Depends(matching_service)]
ExportDep = Annotated[ExportService, Depends(export_service)]
StoreDep = Annotated[GraphStore, Depends(started_store)]
SettingsDep = Annotated[Settings, Depends(settings)]
ServicesDep = Annotated[Services, Depends(started_services)]
JobsDep = Annotated[JobRunner, Depends(job_runner)]
