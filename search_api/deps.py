"""FastAPI dependencies: routes get the started services from the app state."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from search_api.services import Services


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    services.ensure_store()
    return services


ServicesDep = Annotated[Services, Depends(get_services)]
