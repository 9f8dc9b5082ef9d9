from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, File, UploadFile

from graph.models import Document
from search_api.deps import DocumentsDep
from search_api.documents import DeleteResult, DocumentList, UploadResult
from search_api.schemas import error_responses

router = APIRouter(prefix="/api", tags=["documents"])
_CHUNK = 1 << 16


@router.get("/documents", response_model=DocumentList, summary="List documents", responses=error_responses(503))
def list_documents(documents: DocumentsDep) -> DocumentList:
    return documents.list()


@router.get("/documents/{doc_id}", response_model=Document, summary="One document", responses=error_responses(404, 503))
def get_document(doc_id: str, documents: DocumentsDep) -> Document:
    return documents.get(doc_id)


def _chunks(upload: UploadFile) -> Iterator[bytes]:
    while chunk := upload.file.read(_CHUNK):
        yield chunk


@router.post(
    "/documents",
    response_model=UploadResult,
    status_code=201,
    summary="Upload a policy document (multipart field `file`) and ingest it",
    description="Runs the ingest pipeline on the file under its original name: loading (UTF-8 or "
    "GBK/GB18030), cleaning, sections, passages, entities and relations, embeddings. Re-uploading the same "
    "bytes changes nothing (`status: unchanged`); the same text under another name or encoding is not a second "
    "document (`status: duplicate`, `document` is the stored one).",
    responses=error_responses(400, 413, 415, 422, 503),
)
def upload_document(
    documents: DocumentsDep,
    file: Annotated[UploadFile, File(description="A .txt/.md/.docx/.pdf/.html policy document")],
) -> UploadResult:
    return documents.upload(file.filename, _chunks(file))


@router.delete(
    "/documents/{doc_id}",
    response_model=DeleteResult,
    summary="Delete a document and what only it brought (shared entities stay)",
    responses=error_responses(404, 503),
)
def delete_document(doc_id: str, documents: DocumentsDep) -> DeleteResult:
    return documents.delete(doc_id)
