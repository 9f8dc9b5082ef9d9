from fastapi import APIRouter

from search_api.deps import SearchDep
from search_api.schemas import BODY_ERRORS, SearchRequest, SearchResponse, error_responses

router = APIRouter(prefix="/api", tags=["search"])


@router.post(
    "/search",
    response_model=SearchResponse,
    summary="Hybrid search over policy passages",
    description="Dense (bge-small-zh) and Chinese keyword (jieba + BM25) retrieval fused by weighted "
    "reciprocal-rank fusion. Filters by document, issuer, section path prefix and entity; paging with "
    "`offset` or `page`; each result carries highlighted spans of the query words.",
    responses=error_responses(*BODY_ERRORS, 503),
)
def search(request: SearchRequest, service: SearchDep) -> SearchResponse:
    return service.search(request)
