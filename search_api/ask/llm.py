"""Optional phrasing by an OpenAI-compatible chat endpoint, from the evidence we already chose.

The model sees the question, our draft answer and our numbered evidence passages, and may only rewrite
the answer. Whatever it returns, the citations stay ours: markers such as [2] are kept only when they
point at one of our passages, the citation list is narrowed to the passages the text refers to (never
extended), and the markers are renumbered to match. On any failure the template answer stands.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import httpx
from pydantic import BaseModel

from search_api.ask.schemas import Citation

_MARKER = re.compile(r"\[(\d{1,3})\]")
SYSTEM_PROMPT = (
    "你是湖南职业教育政策问答助手。只依据给出的证据段落回答，不要补充证据之外的内容。"
    "用简洁的中文回答，在句末用 [编号] 标注所依据的证据段落编号。"
    "草拟答案中的名称、数字必须保留。"
)


class PhrasingFailed(Exception):
    """The endpoint failed before or while it streamed: the template answer stands."""


class Phrased(BaseModel):
    answer: str
    citations: list[Citation]


def constrain_to_evidence(text: str, citations: list[Citation]) -> Phrased:
    """Keep only markers that point at our citations; narrow and renumber the citations to match."""
    referenced: list[int] = []
    for m in _MARKER.finditer(text):
        n = int(m.group(1))
        if 1 <= n <= len(citations) and n not in referenced:
            referenced.append(n)
    if not referenced:
        return Phrased(answer=_MARKER.sub("", text).strip(), citations=list(citations))
    renumber = {old: new for new, old in enumerate(referenced, 1)}

    def swap(m: re.Match[str]) -> str:
        n = int(m.group(1))
        return f"[{renumber[n]}]" if n in renumber else ""

    return Phrased(answer=_MARKER.sub(swap, text).strip(), citations=[citations[n - 1] for n in referenced])


def build_messages(question: str, draft: str, citations: list[Citation]) -> list[dict[str, str]]:
    evidence = "\n".join(f"[{i}] {c.text}" for i, c in enumerate(citations, 1))
    user = f"问题：{question}\n\n证据段落：\n{evidence}\n\n草拟答案：{draft}\n\n请据此给出最终答案。"
    return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": user}]


class LLMPhraser:
    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str | None = None,
        *,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._url = base_url.rstrip("/") + "/chat/completions"
        self._model = model
        self._api_key = api_key
        self._timeout = timeout
        self._transport = transport

    def _request(self, question: str, draft: str, citations: list[Citation], *, stream: bool) -> dict[str, object]:
        body: dict[str, object] = {
            "model": self._model,
            "messages": build_messages(question, draft, citations),
            "temperature": 0,
        }
        if stream:
            body["stream"] = True
        return body

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._api_key}"} if self._api_key else {}

    def stream(self, question: str, draft: str, citations: list[Citation]) -> Iterator[str]:
        """The model's text piece by piece, as the endpoint sends it (OpenAI `stream: true` chunks: `data:`
        lines of JSON with choices[0].delta.content, ended by `data: [DONE]`). Raises PhrasingFailed when
        the endpoint fails, before the first piece or after some; the caller keeps the template then."""
        body = self._request(question, draft, citations, stream=True)
        try:
            with (
                httpx.Client(timeout=self._timeout, transport=self._transport) as client,
                client.stream("POST", self._url, json=body, headers=self._headers()) as response,
            ):
                response.raise_for_status()
                finished = False
                for line in response.iter_lines():
                    if not line.startswith("data:"):
                        continue  # blank separators, comments, event names
                    data = line[5:].strip()
                    if data == "[DONE]":
                        finished = True
                        break
                    piece = json.loads(data)["choices"][0].get("delta", {}).get("content")
                    if isinstance(piece, str) and piece:
                        yield piece
                if not finished:
                    raise PhrasingFailed("the stream ended without [DONE]")
        except (httpx.HTTPError, KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
            raise PhrasingFailed(str(exc) or type(exc).__name__) from exc

    def phrase(self, question: str, draft: str, citations: list[Citation]) -> Phrased | None:
        """The model's wording constrained to our evidence, or None when the endpoint fails."""
        if not citations:
            return None
        headers = self._headers()
        body = self._request(question, draft, citations, stream=False)
        try:
            with httpx.Client(timeout=self._timeout, transport=self._transport) as client:
                response = client.post(self._url, json=body, headers=headers)
                response.raise_for_status()
                content = response.json()["choices"][0]["message"]["content"]
        except (httpx.HTTPError, KeyError, IndexError, TypeError, ValueError):
            return None
        if not isinstance(content, str) or not content.strip():
            return None
        return constrain_to_evidence(content, citations)
