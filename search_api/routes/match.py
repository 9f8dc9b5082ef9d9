from typing import Annotated

from fastapi import APIRouter, Query

from search_api.deps import MatchingDep
from search_api.matching.schemas import (
    ChainList,
    GapRequest,
    GapResponse,
    MatchIndustriesRequest,
    MatchResponse,
    MatchSpecialtiesRequest,
    SchoolList,
)
from search_api.schemas import BODY_ERRORS, error_responses

router = APIRouter(prefix="/api/match", tags=["matching"])

_SCORES = (
    "Scores combine our 专业类→行业 crosswalk, the industry chain's GB/T codes and products, embedding "
    "similarity of names, and policy passages that mention both. Each result's `reason` says why in one line of "
    "plain Chinese; `evidence` holds what it rests on (the crosswalk `row`, cited passages with `passage_id`, "
    "`title` and `text`), `signal_list` the signals with their Chinese names and weights, `why` the technical line."
)
_COMPOUND = (
    " A compound name (现代种业与粮食生产, A和B, A及B, A、B) that is not one name as it stands is matched part by "
    "part: each part's best 专业 are merged, each result saying its `part`, and `target.parts` each part resolved."
)


@router.post(
    "/specialties",
    response_model=MatchResponse,
    summary="专业 that serve an industry or industry chain",
    description="`industry` (or the same words as `chain`, `product` or `code`): a Hunan chain (工程机械), a GB/T "
    "4754 name or code (汽车制造业, C36, 3612) or plain words (无人机). `school`: its level from the institutions "
    "list when `level` is not given. `k` is the same as `top_k`. " + _SCORES + _COMPOUND,
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
    "`top_k` 专业 are split into covered and missing. Without `level`, the school's level comes from the "
    "institutions list (专科 → 高职专科, 本科 → 职业本科); a vocational school not on that list of "
    "higher-education institutions, named as one (…学校, …中专), is a 中职 school (`level_source` says which)."
    + _COMPOUND,
    responses=error_responses(*BODY_ERRORS, 404, 503),
)
def match_gaps(request: GapRequest, matching: MatchingDep) -> GapResponse:
    return matching.gaps(request)


@router.get(
    "/schools",
    response_model=SchoolList,
    summary="Schools for the gap view's picker, with the level their 专业 are matched at",
    description="Schools whose name holds `q`: Hunan's schools of the institutions list first, then the other "
    "listed schools, then the schools policy texts name. An empty `q` lists Hunan's.",
    responses=error_responses(422, 503),
)
def match_schools(
    matching: MatchingDep,
    q: Annotated[str, Query(max_length=100, examples=["湖南工业"])] = "",
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> SchoolList:
    return matching.find_schools(q, limit)


@router.get(
    "/chains",
    response_model=ChainList,
    summary="Hunan's industry chains, for the matching view's picker",
    responses=error_responses(503),
)
def match_chains(matching: MatchingDep) -> ChainList:
    return matching.chains()
