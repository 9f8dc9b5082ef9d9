from fastapi import APIRouter

from search_api.deps import ServicesDep
from search_api.schemas import ErrorResponse, SearchRequest, SearchResponse

router = APIRouter(prefix="/api", tags=["search"])


@router.post(
    "/search",
    response_model=SearchResponse,
    summary="Semantic search over policy passages",
    responses={422: {"model": ErrorResponse}, 503: {"model": ErrorResponse}},
)
def search(request: SearchRequest, services: ServicesDep) -> SearchResponse:
    return services.search.search(request)
