"""Which document a question is about when it says "this document" (这份文件, 本通知, 该计划, 本法): the one
the request is scoped to (`document`), else the one its wording identifies — a title it quotes in part
(楚怡行动计划), an organisation that issued it (湖南省教育厅参与发布了这份文件吗), several issuers when it
says 联合印发 — else none, and the candidates are offered instead."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from graph.store import GraphStore
from graph.views import Organization, names_of
from search_api.ask.linking import LinkedName, squash
from search_api.references.catalogue import Library
from search_api.references.schemas import DocumentVersion
from search_api.retrieval import LibraryRetriever

THIS_DOCUMENT = re.compile(
    r"(?:这份|这个|这篇|这部|这项|本|该|此|上述|这一)(?:文件|通知|行动计划|实施方案|计划|方案|意见|规划|办法|条例|"
    r"规定|法律|法规|法|文|材料|政策|公告|决定)"
)
_JOINT = re.compile(
    r"联合印发|联合发布|联合发文|联合下发|联合制定|联合出台|共同印发|共同发布|几个部门|多个部门|多部门|哪些部门|几部门"
)
_LEGISLATURE = "人民代表大会"
MIN_TITLE_OVERLAP = 4  # characters of a title a question must quote to name it (楚怡行动计划)
MAX_CANDIDATES = 5


class DocumentScope(BaseModel):
    document: DocumentVersion | None = None
    candidates: list[DocumentVersion] = Field(default_factory=list)
    reason: str = Field(default="", description="requested, named, only, issuer, joint")

    @property
    def undecided(self) -> bool:
        return self.document is None and bool(self.candidates)


def refers_to_this_document(question: str) -> bool:
    return bool(THIS_DOCUMENT.search(squash(question)))


def _overlap(a: str, b: str) -> int:
    """Length of the longest common substring."""
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] in b:
                best = j - i
            else:
                break
    return best


class ScopeFinder:
    def __init__(self, store: GraphStore, library: Library, retriever: LibraryRetriever) -> None:
        self._store = store
        self._library = library
        self._retriever = retriever

    def find(self, question: str, requested: DocumentVersion | None, names: list[LinkedName]) -> DocumentScope:
        if requested is not None:
            return DocumentScope(document=requested, reason="requested")
        if not refers_to_this_document(question):
            return DocumentScope()
        docs = [d for d in self._library.documents() if d.status == "current"] or self._library.documents()
        if len(docs) <= 1:
            return DocumentScope(document=docs[0] if docs else None, reason="only")
        for reason, narrowed in (
            ("named", self._named(question, docs)),
            ("issuer", self._issued_by_named(docs, names)),
            ("joint", self._joint(question, docs)),
        ):
            if len(narrowed) == 1:
                return DocumentScope(document=narrowed[0], reason=reason)
            if narrowed:
                docs = narrowed
        return DocumentScope(candidates=self._ranked(question, docs)[:MAX_CANDIDATES])

    def _named(self, question: str, docs: list[DocumentVersion]) -> list[DocumentVersion]:
        """The documents whose title the question quotes the most of (at least MIN_TITLE_OVERLAP)."""
        q = squash(question)
        scored = [(_overlap(squash(d.work), q), d) for d in docs]
        best = max((s for s, _ in scored), default=0)
        return [d for s, d in scored if s == best] if best >= MIN_TITLE_OVERLAP else []

    def _issued_by_named(self, docs: list[DocumentVersion], names: list[LinkedName]) -> list[DocumentVersion]:
        """The documents an organisation the question names issued."""
        orgs = [m.node for m in names if m.node.label == "Organization"]
        if not orgs:
            return []
        keys = {squash(n) for org in orgs for n in names_of(org)}
        ids = {Organization.from_node(o).id for o in orgs}
        issued = self._store.edges_of_many([d.id for d in docs], ["ISSUED_BY"], "out")
        out = []
        for d in docs:
            issuers = {squash(i) for i in d.issuers}
            edges = {e.target for e in issued.get(d.id, [])}
            if issuers & keys or edges & ids:
                out.append(d)
        return out

    def _joint(self, question: str, docs: list[DocumentVersion]) -> list[DocumentVersion]:
        """联合印发: documents that several bodies issued together (not a legislature and its approver)."""
        if not _JOINT.search(squash(question)):
            return []
        return [d for d in docs if len(d.issuers) > 1 and not all(_LEGISLATURE in i for i in d.issuers)]

    def _ranked(self, question: str, docs: list[DocumentVersion]) -> list[DocumentVersion]:
        """The candidates, those holding the passages nearest the question first."""
        allowed = {d.id: d for d in docs}
        order: list[str] = []
        for hit in self._retriever.retrieve(THIS_DOCUMENT.sub("", question) or question, 20):
            doc_id = hit.hit.passage.doc_id
            if doc_id in allowed and doc_id not in order:
                order.append(doc_id)
        order += [d for d in allowed if d not in order]
        return [allowed[d] for d in order]
