"""The optional LLM phrasing: a real local HTTP server speaking the OpenAI chat API stands in for the
model. Whatever it writes, citations stay a subset of our evidence."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from graph.store import GraphStore
from search_api.app import create_app
from search_api.ask.llm import constrain_to_evidence
from search_api.ask.schemas import Citation
from tests.api.conftest import MemoEmbedder, free_port, ingest_seed, make_services
from tests.api.test_ask import _events

QUESTION = "楚怡文化传承基地又叫什么？"


class FakeChat:
    """Replies with `reply` (or HTTP `status`) and records the requests it got."""

    def __init__(self) -> None:
        self.reply = ""
        self.status = 200
        self.pieces = 4  # characters per streamed chunk
        self.cut_after: int | None = None  # drop the connection after this many chunks (no [DONE])
        self.requests: list[dict] = []
        self.headers: list[dict[str, str]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                request = json.loads(self.rfile.read(length))
                fake.requests.append(request)
                fake.headers.append(dict(self.headers))
                if request.get("stream") and fake.status == 200:
                    self._stream()
                    return
                body = json.dumps(
                    {"choices": [{"message": {"role": "assistant", "content": fake.reply}}]}, ensure_ascii=False
                ).encode("utf-8")
                self.send_response(fake.status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _stream(self) -> None:
                """OpenAI's streamed chat: `data:` chunks with choices[0].delta.content, then [DONE]."""
                self.send_response(200)
                self.send_header("content-type", "text/event-stream")
                self.end_headers()
                chunks = [fake.reply[i : i + fake.pieces] for i in range(0, len(fake.reply), fake.pieces)]
                for n, chunk in enumerate(chunks):
                    if fake.cut_after is not None and n >= fake.cut_after:
                        return  # the connection closes without [DONE]
                    data = {"choices": [{"index": 0, "delta": {"content": chunk}}]}
                    self.wfile.write(f"data: {json.dumps(data, ensure_ascii=False)}\n\n".encode())
                    self.wfile.flush()
                self.wfile.write(b"data: [DONE]\n\n")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        # A short poll interval: shutdown() waits for the loop's next poll (0.5 s by default, per test).
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def __enter__(self) -> FakeChat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def chat() -> Iterator[FakeChat]:
    with FakeChat() as fake:
        yield fake


def _client(store: GraphStore, embedder: MemoEmbedder, tmp_path: Path, url: str) -> TestClient:
    services = make_services(
        store, embedder, tmp_path / "data", llm_base_url=url, llm_model="fake-model", llm_api_key="sk-test"
    )
    ingest_seed(services)
    return TestClient(create_app(services.settings, services))


def test_llm_phrases_but_never_adds_citations(
    store: GraphStore, memo_embedder: MemoEmbedder, tmp_path: Path, chat: FakeChat
) -> None:
    chat.reply = "楚怡文化传承基地也叫楚怡职业教育文化馆[1]。另见[7]和[99]。"
    with _client(store, memo_embedder, tmp_path, chat.url) as client:
        body = client.post("/api/ask", json={"question": QUESTION}).json()
    assert body["phrased_by"] == "llm"
    assert body["answer"] == "楚怡文化传承基地也叫楚怡职业教育文化馆[1]。另见和。"
    request = chat.requests[0]
    assert request["model"] == "fake-model"
    assert chat.headers[0].get("Authorization") == "Bearer sk-test"
    evidence_text = request["messages"][-1]["content"]
    # The only citation is our passage [1], which the model was shown.
    assert len(body["citations"]) == 1
    assert body["citations"][0]["text"] in evidence_text
    assert "职业教育文化馆" in body["citations"][0]["text"]


def test_llm_failure_keeps_the_template_answer(
    store: GraphStore, memo_embedder: MemoEmbedder, tmp_path: Path, chat: FakeChat
) -> None:
    chat.status = 500
    with _client(store, memo_embedder, tmp_path, chat.url) as client:
        body = client.post("/api/ask", json={"question": QUESTION}).json()
    assert chat.requests, "the endpoint was called"
    assert body["phrased_by"] == "template"
    assert "职业教育文化馆" in body["answer"] and body["citations"]


def test_unreachable_llm_keeps_the_template_answer(
    store: GraphStore, memo_embedder: MemoEmbedder, tmp_path: Path
) -> None:
    with _client(store, memo_embedder, tmp_path, f"http://127.0.0.1:{free_port()}/v1") as client:
        body = client.post("/api/ask", json={"question": QUESTION}).json()
    assert body["phrased_by"] == "template" and body["citations"]


def _citations(n: int) -> list[Citation]:
    return [Citation(passage_id=f"psg:{i}", text=f"段落{i}", document_title="文件") for i in range(1, n + 1)]


def test_constrain_narrows_and_renumbers_to_referenced_evidence() -> None:
    out = constrain_to_evidence("甲[3]，乙[1][3]，丙[4]。", _citations(3))
    assert out.answer == "甲[1]，乙[2][1]，丙。"
    assert [c.passage_id for c in out.citations] == ["psg:3", "psg:1"]


def test_constrain_without_markers_keeps_all_our_citations() -> None:
    out = constrain_to_evidence("只有文字，没有编号。", _citations(2))
    assert out.answer == "只有文字，没有编号。"
    assert [c.passage_id for c in out.citations] == ["psg:1", "psg:2"]


def test_constrain_with_only_invented_markers_keeps_ours() -> None:
    out = constrain_to_evidence("见[5]与[0]。", _citations(2))
    assert out.answer == "见与。"
    assert [c.passage_id for c in out.citations] == ["psg:1", "psg:2"]


def test_the_stream_sends_the_llms_phrasing_as_it_comes(
    store: GraphStore, memo_embedder: MemoEmbedder, tmp_path: Path, chat: FakeChat
) -> None:
    chat.reply = "楚怡文化传承基地也叫楚怡职业教育文化馆[1]。另见[7]。"
    with _client(store, memo_embedder, tmp_path, chat.url) as client:
        r = client.get("/api/ask/stream", params={"question": QUESTION})
    assert r.status_code == 200 and chat.requests[0]["stream"] is True
    events = _events(r.text)
    names = [name for name, _ in events]
    assert names[0] == "meta" and names[-1] == "done" and names.index("citations") > names.index("delta")
    deltas = [data["text"] for name, data in events if name == "delta"]  # type: ignore[index]
    assert len(deltas) == -(-len(chat.reply) // chat.pieces)  # one delta per chunk the endpoint sent
    assert "".join(deltas) == chat.reply  # as the model wrote it; done has it constrained
    done = events[-1][1]
    assert done["phrased_by"] == "llm"  # type: ignore[index]
    assert done["answer"] == "楚怡文化传承基地也叫楚怡职业教育文化馆[1]。另见。"  # type: ignore[index]
    assert len(done["citations"]) == 1  # type: ignore[index]


def test_a_stream_cut_midway_ends_with_the_template_answer(
    store: GraphStore, memo_embedder: MemoEmbedder, tmp_path: Path, chat: FakeChat
) -> None:
    chat.reply = "楚怡文化传承基地也叫楚怡职业教育文化馆[1]。"
    chat.cut_after = 2
    with _client(store, memo_embedder, tmp_path, chat.url) as client:
        streamed = _events(client.get("/api/ask/stream", params={"question": QUESTION}).text)
        template = client.post("/api/ask", json={"question": QUESTION}).json()
    done = streamed[-1][1]
    assert streamed[-1][0] == "done" and done["phrased_by"] == "template"  # type: ignore[index]
    # The non-streamed ask (the same endpoint, not streamed) is phrased; the cut stream keeps our words.
    assert template["phrased_by"] == "llm"
    assert "职业教育文化馆" in done["answer"] and done["citations"]  # type: ignore[index]
    assert "[" not in done["answer"]  # type: ignore[index]


def test_a_failing_endpoint_streams_the_template_answer_in_one_delta(
    store: GraphStore, memo_embedder: MemoEmbedder, tmp_path: Path, chat: FakeChat
) -> None:
    chat.status = 500
    with _client(store, memo_embedder, tmp_path, chat.url) as client:
        events = _events(client.get("/api/ask/stream", params={"question": QUESTION}).text)
    deltas = [data["text"] for name, data in events if name == "delta"]  # type: ignore[index]
    done = events[-1][1]
    assert len(deltas) == 1 and deltas[0] == done["answer"]  # type: ignore[index]
    assert done["phrased_by"] == "template" and "职业教育文化馆" in done["answer"]  # type: ignore[index]
