from fastapi import APIRouter

from search_api.deps import ExploreDep
from search_api.explore.schemas import CypherRequest, CypherResponse, StatsOut
from search_api.schemas import error_responses

router = APIRouter(prefix="/api", tags=["graph"])


@router.post(
    "/cypher",
    response_model=CypherResponse,
    summary="Run a read-only Cypher query (Neo4j store only)",
    description="Runs in a READ transaction; write and admin clauses are refused before anything runs "
    "(400 query_refused). On the embedded store: 501 not_available.",
    responses=error_responses(400, 422, 501, 503),
)
def cypher(request: CypherRequest, explore: ExploreDep) -> CypherResponse:
    return explore.cypher(request.query, request.params)


@router.get("/stats", response_model=StatsOut, summary="Node and relationship counts", responses=error_responses(503))
def stats(explore: ExploreDep) -> StatsOut:
    return explore.stats()
