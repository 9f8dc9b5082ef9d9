from typing import Annotated

from fastapi import APIRouter, Query

from graph.models import NodeLabel
from search_api.deps import ExploreDep
from search_api.explore.schemas import EntityDetail, EntityList, PathsOut, SubgraphOut
from search_api.schemas import error_responses

router = APIRouter(prefix="/api", tags=["entities and graph"])


@router.get(
    "/entities",
    response_model=EntityList,
    summary="Find entities by name or alias",
    description="Exact matches first, then names containing `q`, then aliases containing it.",
    responses=error_responses(422, 503),
)
def find_entities(
    explore: ExploreDep,
    q: Annotated[str, Query(max_length=200, examples=["楚怡"])] = "",
    label: Annotated[NodeLabel | None, Query(examples=["Programme"])] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 20,
) -> EntityList:
    return explore.search(q, label, limit)


@router.get(
    "/entities/{entity_id}",
    response_model=EntityDetail,
    summary="One entity with its relations and their evidence passages",
    responses=error_responses(404, 503),
)
def get_entity(entity_id: str, explore: ExploreDep) -> EntityDetail:
    return explore.detail(entity_id)


@router.get(
    "/graph/neighbors/{node_id}",
    response_model=SubgraphOut,
    summary="The neighbourhood of a node (entities and documents; passages on request via labels)",
    responses=error_responses(404, 422, 503),
)
def neighbors(
    node_id: str,
    explore: ExploreDep,
    depth: Annotated[int, Query(ge=1, le=3)] = 1,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    labels: Annotated[list[NodeLabel] | None, Query()] = None,
) -> SubgraphOut:
    return explore.neighbors(node_id, depth, limit, list(labels) if labels else None)


@router.get(
    "/graph/paths",
    response_model=PathsOut,
    summary="Paths between two nodes (ids, or exact entity names), shortest first",
    responses=error_responses(404, 422, 503),
)
def paths(
    explore: ExploreDep,
    source: Annotated[str, Query(min_length=1, max_length=200, examples=["湖南工业职业技术学院"])],
    target: Annotated[str, Query(min_length=1, max_length=200, examples=["新化县楚怡工业学校"])],
    max_hops: Annotated[int, Query(ge=1, le=6)] = 4,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> PathsOut:
    return explore.paths(source, target, max_hops, limit)
