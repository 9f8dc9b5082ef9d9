from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from graph.models import NodeLabel
from search_api.deps import ExportDep
from search_api.exports import ExportFormat, pieces
from search_api.schemas import BODY_ERRORS, SearchRequest, error_responses

router = APIRouter(prefix="/api", tags=["export"])


def _attachment(text: str, media_type: str, filename: str) -> StreamingResponse:
    return StreamingResponse(
        pieces(text), media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@router.get(
    "/export/graph",
    summary="The graph as a GraphML or JSON file",
    description="GraphML (for Gephi, yEd, networkx.read_graphml; list properties as JSON text) or the JSON of "
    "`{nodes, edges}`, as an attachment. `labels` limits it to nodes of those labels (and the relationships "
    "between them). A graph of more than 300,000 nodes and relationships is refused (413 export_too_large).",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "The file",
            "content": {"application/graphml+xml": {"schema": {"type": "string"}}, "application/json": {}},
        },
        **error_responses(413, 422, 503),
    },
)
def export_graph(
    exports: ExportDep,
    format: Annotated[ExportFormat, Query(description="graphml or json")] = "graphml",
    labels: Annotated[list[NodeLabel] | None, Query()] = None,
) -> StreamingResponse:
    text, media_type, filename = exports.graph(format, list(labels) if labels else None)
    return _attachment(text, media_type, filename)


@router.post(
    "/search/export",
    summary="Search results as a CSV file",
    description="The same body as POST /api/search; the page of results it gives, as CSV in UTF-8 with a BOM "
    "(so that Excel reads the Chinese), columns rank,title,section,text,score,passage_id,document_id.",
    response_class=StreamingResponse,
    responses={
        200: {"description": "The CSV file", "content": {"text/csv": {"schema": {"type": "string"}}}},
        **error_responses(*BODY_ERRORS, 503),
    },
)
def export_search(request: SearchRequest, exports: ExportDep) -> StreamingResponse:
    return _attachment(exports.search_csv(request), "text/csv; charset=utf-8", "chuyi-search.csv")
