import json
import logging
from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse
from pydantic import AfterValidator

from search_api import question_text
from search_api.ask.schemas import SSE_SCHEMA, AskRequest, AskResponse
from search_api.ask.service import AskService
from search_api.deps import AskDep
from search_api.errors import KNOWN_ERRORS, error_content
from search_api.schemas import BODY_ERRORS, error_responses

router = APIRouter(prefix="/api", tags=["ask"])
log = logging.getLogger(__name__)


@router.post(
    "/ask",
    response_model=AskResponse,
    summary="Answer a question with citations",
    description="Relationship questions (who issued a document, which organisations carry a programme, "
    "how many of something a plan sets, what an organisation is asked to do, what else a programme is "
    "called, how two entities are linked) are answered from the graph; other questions extractively from "
    "the best sentences of the best passages. `citations` are always passages of the store; `facts` are "
    "the graph facts used. A structural reference (劳动法第九条, 《教育法》第五条, 第二章, 二（一）2) is "
    "quoted whole from the version meant (the current one unless a year or 旧版 is named). When the "
    "evidence does not support an answer, `mode` is `none`, the answer says 资料中没有找到… and `related` "
    "holds the nearest passages. `document` scopes the question (这份文件, 本法, a bare 第三条); without it "
    "“this document” is the one the wording identifies, or `candidates` lists the documents it may mean.",
    responses=error_responses(*BODY_ERRORS, 404, 503),
)
def ask(request: AskRequest, service: AskDep) -> AskResponse:
    return service.ask(request.question, request.document)


def _frame(event: str, data: str) -> str:
    return f"event: {event}\ndata: {data}\n\n"


def _sse(service: AskService, question: str, document: str | None) -> Iterator[str]:
    """The answer is worked out inside the stream, after the 200 status has gone: a failure then can
    only be told as an `error` event, carrying the same JSON as an error response."""
    try:
        for e in service.stream(question, document):
            yield _frame(e.event, e.data)
    except Exception as exc:
        if not isinstance(exc, KNOWN_ERRORS):
            log.exception("answering %r failed", question)
        yield _frame("error", json.dumps(error_content(exc), ensure_ascii=False))


@router.get(
    "/ask/stream",
    summary="The same answer as server-sent events",
    description="Events in order: `meta` (intent, mode, entities, phrased_by, document, candidates, link), `delta` "
    '(`{"text"}`: the answer; with no LLM the whole computed answer in one delta, an LLM\'s phrasing piece by '
    "piece as it comes), `citations` (a list of Citation), `facts` (a list of Fact), `related` (a list of "
    "Citation; only when nothing answers), `done` (the whole AskResponse). The data of every event is JSON; "
    "the schemas are those of AskResponse's fields. When answering fails once the stream has "
    'started (the store goes away mid-answer …), a single `error` event carries `{"error": {"code", '
    '"message"}}` instead, the same body as an error response; failures found before it starts (an '
    "empty or over-long question — 422 with a Chinese message —, an unknown `document`, a store known to be "
    "down) are ordinary error responses.",
    response_class=StreamingResponse,
    responses={
        200: {"description": "Server-sent events", "content": {"text/event-stream": SSE_SCHEMA}},
        **error_responses(404, 422, 503),
    },
)
def ask_stream(
    service: AskDep,
    question: Annotated[
        str,
        Query(examples=["楚怡文化传承基地又叫什么？"], json_schema_extra=question_text.schema()),
        AfterValidator(question_text.question),
    ],
    document: Annotated[str | None, Query(max_length=200, description="Id of the document asked about")] = None,
) -> StreamingResponse:
    if document is not None:
        service.require_document(document)  # an unknown id is a 404 before the stream starts
    return StreamingResponse(
        _sse(service, question, document),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
