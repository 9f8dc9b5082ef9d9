from fastapi import APIRouter

from search_api.deps import MatchingDep
from search_api.matching.schemas import (
    GapRequest,
    GapResponse,
    MatchIndustriesRequest,
    MatchResponse,
    MatchSpecialtiesRequest,
)
from search_api.schemas import BODY_ERRORS, error_responses

router = APIRouter(prefix="/api/match", tags=["matching"])

_SCORES = (
    "Scores combine our 专业类→行业 crosswalk, the industry chain's GB/T codes and products, embedding "
    "similarity of names, and policy passages that mention both; each result's `why` names that evidence."
)


@router.post(
    "/specialties",
    response_model=MatchResponse,
    summary="专业 that serve an industry or industry chain",
    description="`industry`: a Hunan chain (工程机械), a GB/T 4754 name or code (汽车制造业, C36, 3612) or plain "
    "words (无人机). " + _SCORES,
    responses=error_responses(*BODY_ERRORS, 404, 503),
)
def match_specialties(request: MatchSpecialtiesRequest, matching: MatchingDep) -> MatchResponse:
    return matching.specialties(request)


@router.post(
    "/industries",
    response_model=MatchResponse,
    summary="Industries and chains a 专业 serves",
    description="`specialty`: a 专业 name or code. Results mix GB/T industries (one per branch of the tree) and "
    "Hunan chains (`kind`). " + _SCORES,
    responses=error_responses(*BODY_ERRORS, 404, 503),
)
def match_industries(request: MatchIndustriesRequest, matching: MatchingDep) -> MatchResponse:
    return matching.industries(request)


@router.post(
    "/gaps",
    response_model=GapResponse,
    summary="The relevant 专业 a school lacks for an industry",
    description="The school's offerings come from OFFERS edges in the graph and/or the request; the chain's best "
    "`top_k` 专业 are split into covered and missing.",
    responses=error_responses(*BODY_ERRORS, 404, 503),
)
def match_gaps(request: GapRequest, matching: MatchingDep) -> GapResponse:
    return matching.gaps(request)
