from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from graph.models import Document
from search_api.deps import DocumentsDep
from search_api.documents import DeleteResult, DocumentList, UploadResult
from search_api.errors import SafeJSONResponse
from search_api.jobs import JobOut
from search_api.schemas import error_responses
from search_api.security import WriteAccess
from search_api.uploads import receive_upload

router = APIRouter(prefix="/api", tags=["documents"])

# The upload reads its multipart body itself (search_api.uploads), after the key and the store are
# checked and while it streams; the body is declared here for OpenAPI.
_MULTIPART = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "A .txt/.md/.docx/.pdf/.html policy document",
                        }
                    },
                }
            }
        },
    }
}


@router.get("/documents", response_model=DocumentList, summary="List documents", responses=error_responses(503))
def list_documents(documents: DocumentsDep) -> DocumentList:
    return documents.list()


@router.get("/documents/{doc_id}", response_model=Document, summary="One document", responses=error_responses(404, 503))
def get_document(doc_id: str, documents: DocumentsDep) -> Document:
    return documents.get(doc_id)


@router.post(
    "/documents",
    status_code=201,
    summary="Upload a policy document (multipart field `file`) and ingest it",
    description="Runs the ingest pipeline on the file under its original name: loading (UTF-8 or "
    "GBK/GB18030), cleaning, sections, passages, entities and relations, embeddings. Re-uploading the same "
    "bytes changes nothing (`status: unchanged`); the same text under another name or encoding is not a second "
    "document (`status: duplicate`, `document` is the stored one). A file larger than CHUYI_JOB_THRESHOLD_BYTES "
    "(256 KB) is ingested as a background job: 202 with the job, whose progress and result GET /api/jobs/{id} "
    "gives. Needs an API key when keys are configured.",
    dependencies=[WriteAccess],
    openapi_extra=_MULTIPART,
    response_class=SafeJSONResponse,
    responses={
        201: {"model": UploadResult, "description": "Ingested (or unchanged)"},
        202: {"model": JobOut, "description": "Accepted as a background job"},
        **error_responses(400, 401, 403, 409, 413, 415, 422, 429, 503),
    },
)
async def upload_document(request: Request, documents: DocumentsDep) -> JSONResponse:
    received = await receive_upload(request, documents.max_bytes)
    outcome = await run_in_threadpool(documents.upload, received)
    if isinstance(outcome, UploadResult):
        return SafeJSONResponse(outcome.model_dump(mode="json"), status_code=201)
    job = outcome.out()
    return SafeJSONResponse(job.model_dump(mode="json"), status_code=202, headers={"Location": f"/api/jobs/{job.id}"})


@router.delete(
    "/documents/{doc_id}",
    response_model=DeleteResult,
    summary="Delete a document and what only it brought (shared entities stay)",
    dependencies=[WriteAccess],
    responses=error_responses(401, 403, 404, 503),
)
def delete_document(doc_id: str, documents: DocumentsDep) -> DeleteResult:
    return documents.delete(doc_id)
