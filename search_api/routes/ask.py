from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from search_api.ask.schemas import AskRequest, AskResponse
from search_api.ask.service import StreamEvent
from search_api.deps import AskDep
from search_api.schemas import error_responses

router = APIRouter(prefix="/api", tags=["ask"])


@router.post(
    "/ask",
    response_model=AskResponse,
    summary="Answer a question with citations",
    description="Relationship questions (who issued a document, which organisations carry a programme, "
    "how many of something a plan sets, what an organisation is asked to do, what else a programme is "
    "called, how two entities are linked) are answered from the graph; other questions extractively from "
    "the best sentences of the best passages. `citations` are always passages of the store; `facts` are "
    "the graph facts used.",
    responses=error_responses(422, 503),
)
def ask(request: AskRequest, service: AskDep) -> AskResponse:
    return service.ask(request.question)


def _sse(events: Iterator[StreamEvent]) -> Iterator[str]:
    for e in events:
        yield f"event: {e.event}\ndata: {e.data}\n\n"


@router.get(
    "/ask/stream",
    summary="The same answer as server-sent events",
    description="Events in order: `meta` (intent, mode, entities), `delta` (answer text pieces), "
    "`citations`, `facts`, `done` (the whole AskResponse).",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}, **error_responses(422, 503)},
)
def ask_stream(
    service: AskDep,
    question: Annotated[
        str, Query(min_length=1, max_length=500, pattern=r"\S", examples=["楚怡文化传承基地又叫什么？"])
    ],
) -> StreamingResponse:
    response = service.ask(question)
    return StreamingResponse(
        _sse(service.events(response)),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
