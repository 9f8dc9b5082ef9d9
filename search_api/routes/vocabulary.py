from fastapi import APIRouter

from search_api.schemas import Vocabulary

router = APIRouter(prefix="/api", tags=["vocabulary"])


@router.get(
    "/vocabulary",
    response_model=Vocabulary,
    summary="Chinese names for node labels, relationship types, properties and answer kinds",
    description="Labels and relationship types are ASCII in the graph (Organization, IN_CLASS …); this is "
    "what a page shows for them (机构, 属于专业类 …), for every label and type of the schema. Needs no store.",
)
def vocabulary() -> Vocabulary:
    return Vocabulary.current()
