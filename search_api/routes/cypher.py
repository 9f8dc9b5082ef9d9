from fastapi import APIRouter

from search_api.deps import ExploreDep
from search_api.explore.schemas import CypherRequest, CypherResponse, StatsOut
from search_api.schemas import BODY_ERRORS, error_responses
from search_api.security import WriteAccess

router = APIRouter(prefix="/api", tags=["graph"])


@router.post(
    "/cypher",
    response_model=CypherResponse,
    summary="Run a read-only Cypher query (Neo4j store only)",
    description="Runs in a READ transaction with a time and a row limit; write and admin clauses, and "
    "procedures other than a short list of read-only ones (db.labels, db.schema.*, db.index.*.queryNodes …), "
    "are refused before anything runs (400 query_refused). Needs an API key when keys are configured (it "
    "can read everything, and costs the database time). On the embedded store: 501 not_available.",
    dependencies=[WriteAccess],
    responses=error_responses(*BODY_ERRORS, 401, 403, 501, 503),
)
def cypher(request: CypherRequest, explore: ExploreDep) -> CypherResponse:
    return explore.cypher(request.query, request.params)


@router.get("/stats", response_model=StatsOut, summary="Node and relationship counts", responses=error_responses(503))
def stats(explore: ExploreDep) -> StatsOut:
    return explore.stats()
