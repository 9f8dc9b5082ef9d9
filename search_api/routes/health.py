from fastapi import APIRouter, Request

from search_api.deps import SettingsDep, StoreDep
from search_api.schemas import Health
from search_api.security import WritePolicy

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health, summary="Liveness and store status")
def healthz(request: Request, store: StoreDep, settings: SettingsDep) -> Health:
    store.ping()
    stats = store.stats()
    policy: WritePolicy = request.app.state.write_policy
    return Health(
        store=store.name,
        documents=stats.nodes.get("Document", 0),
        passages=stats.nodes.get("Passage", 0),
        embedding_model=settings.embedding_model,
        writes=policy.mode,
        writes_note=policy.describe(),
    )
