from fastapi import APIRouter

from search_api.deps import ServicesDep
from search_api.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health, summary="Liveness and store status")
def healthz(services: ServicesDep) -> Health:
    services.store.ping()
    stats = services.store.stats()
    return Health(
        store=services.store.name,
        documents=stats.nodes.get("Document", 0),
        passages=stats.nodes.get("Passage", 0),
        embedding_model=services.settings.embedding_model,
    )
