from fastapi import APIRouter

from search_api.deps import SettingsDep, StoreDep
from search_api.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health, summary="Liveness and store status")
def healthz(store: StoreDep, settings: SettingsDep) -> Health:
    store.ping()
    stats = store.stats()
    return Health(
        store=store.name,
        documents=stats.nodes.get("Document", 0),
        passages=stats.nodes.get("Passage", 0),
        embedding_model=settings.embedding_model,
    )
