"""The library as works and versions: every document of the store as a DocumentVersion (work, version date,
status), the names a question may use for a work (its name, titles, aliases), and each document's outline
(its passages by section path, and section headings), read when first needed. Rebuilt when the store's
revision moves (any write, in any process)."""

from __future__ import annotations

import threading
from pathlib import Path

from pydantic import BaseModel

from graph.models import Document
from graph.store import GraphStore
from graph.views import as_document, as_passage, as_section
from search_api.references.aliases import LawAlias, load_law_aliases
from search_api.references.errors import UnknownDocument
from search_api.references.schemas import DocumentVersion, QuotedPassage, VersionStatus
from search_api.references.works import status_of, version_date_of, version_label, work_from_title, work_of

_OUTLINE_LIMIT = 100_000  # passages and sections of one document read back at once
_OUTLINE_CACHE = 256  # documents whose outline is kept


class DocumentOutline(BaseModel):
    doc_id: str
    passages: list[QuotedPassage]  # in document order
    headings: dict[str, str]  # section path → heading

    @property
    def front(self) -> str:
        """The text before the first section (title, header lines of a law)."""
        return "\n".join(p.text for p in self.passages if not p.section_path)


class WorkName(BaseModel):
    """One way a question may name a work: 职业教育法, 中华人民共和国职业教育法, 职教法."""

    key: str  # compared form (no spaces, 《》 or quotes)
    work: str
    kind: str  # work | title | alias


def squash(text: str) -> str:
    return "".join(c for c in text if not c.isspace() and c not in "《》〈〉“”\"'‘’「」『』")


class Library:
    """Works and versions over a store; no I/O until first used. `refresh()` reads the store's revision
    and re-reads the document list only when it moved: called once per request (QueryReader.read,
    AskService.ask); the readers below use what it read, so a ranking of 50 hits asks the store once, not
    50 times."""

    def __init__(self, store: GraphStore, aliases_path: Path | None = None) -> None:
        self._store = store
        self._aliases_path = aliases_path
        self._aliases: list[LawAlias] | None = None
        self._lock = threading.Lock()
        self._key: int | None = None  # the store revision the versions were read at
        self.builds = 0  # how many times the document list was read (tests read it)
        self._versions: dict[str, DocumentVersion] = {}
        self._documents: list[Document] = []  # as list_documents gave them at the last refresh
        self._by_work: dict[str, list[DocumentVersion]] = {}
        self._names: list[WorkName] = []
        self._outlines: dict[tuple[str, str], DocumentOutline] = {}

    # -- documents as versions ------------------------------------------------------------------------
    def refresh(self) -> None:
        # Read before the documents: a write meanwhile leaves the older revision here, so the next
        # refresh reads again (never a newer revision filed with older documents).
        key = self._store.revision()
        with self._lock:
            if key == self._key:
                return
        docs = self._store.list_documents()
        by_work: dict[str, list[Document]] = {}
        for doc in docs:
            by_work.setdefault(work_of(doc), []).append(doc)
        versions: dict[str, DocumentVersion] = {}
        grouped: dict[str, list[DocumentVersion]] = {}
        for work, group in by_work.items():
            ordered = sorted(group, key=lambda d: (version_date_of(d) or "", d.id), reverse=True)
            for i, doc in enumerate(ordered):
                date = version_date_of(doc)
                # A work with several versions is cited with its version, so its label is read now.
                label = version_label(date, self.outline(doc.id).front) if len(ordered) > 1 else ""
                version = DocumentVersion(
                    id=doc.id, title=doc.title or work, source=doc.source, work=work, version_date=date,
                    version_label=label, status=_status(doc, i), versions=len(ordered),
                    issuers=list(doc.issuers), date=doc.date,
                )  # fmt: skip
                versions[doc.id] = version
                grouped.setdefault(work, []).append(version)
        names = self._work_names(grouped)
        with self._lock:
            self._versions, self._by_work, self._names, self._key = versions, grouped, names, key
            self._documents = docs
            self.builds += 1

    def _ready(self) -> None:
        if self._key is None:
            self.refresh()

    def documents(self) -> list[DocumentVersion]:
        self._ready()
        return list(self._versions.values())

    def stored_documents(self) -> list[Document]:
        """The store's documents as list_documents gave them at the last refresh (sorted by title, id);
        shared, not copied: read them, do not change them."""
        self._ready()
        return list(self._documents)

    def version(self, doc_id: str) -> DocumentVersion | None:
        self._ready()
        return self._versions.get(doc_id)

    def require(self, doc_id: str) -> DocumentVersion:
        """The document a request is scoped to; UnknownDocument when the library does not hold it."""
        found = self.version(doc_id)
        if found is None:
            raise UnknownDocument(f"no document with id {doc_id!r}")
        return found

    def versions_of(self, work: str) -> list[DocumentVersion]:
        """The work's versions, newest first."""
        self._ready()
        return list(self._by_work.get(work, []))

    def works(self) -> list[str]:
        self._ready()
        return list(self._by_work)

    def version_label(self, doc_id: str) -> str:
        """2022年4月20日修订: read from the document's header when it was not needed at refresh."""
        found = self.version(doc_id)
        if found is None:
            return ""
        return found.version_label or version_label(found.version_date, self.outline(doc_id).front)

    def status(self, doc_id: str) -> VersionStatus:
        found = self.version(doc_id)
        return found.status if found else "current"

    # -- names ----------------------------------------------------------------------------------------
    def names(self) -> list[WorkName]:
        """Every name of a work in the library or in the alias table, longest first."""
        self._ready()
        return list(self._names)

    def aliases(self) -> list[LawAlias]:
        if self._aliases is None:
            self._aliases = load_law_aliases(self._aliases_path) if self._aliases_path else []
        return self._aliases

    def _work_names(self, grouped: dict[str, list[DocumentVersion]]) -> list[WorkName]:
        names: dict[str, WorkName] = {}

        def add(text: str, work: str, kind: str) -> None:
            key = squash(text)
            if len(key) >= 2 and key not in names:
                names[key] = WorkName(key=key, work=work, kind=kind)

        for work, versions in grouped.items():
            add(work, work, "work")
            for v in versions:
                add(v.title, work, "title")
                add(work_from_title(v.title), work, "title")
        for alias in self.aliases():
            add(alias.alias, alias.work, "alias")
            add(alias.work, alias.work, "work")
        return sorted(names.values(), key=lambda n: (-len(n.key), n.key))

    # -- outlines -------------------------------------------------------------------------------------
    def outline(self, doc_id: str) -> DocumentOutline:
        """The document's passages in order and its section headings (cached per document version)."""
        node = self._store.get_node(doc_id)
        sha = as_document(node).sha256 if node is not None and node.label == "Document" else ""
        cached = self._outlines.get((doc_id, sha))
        if cached is not None:
            return cached
        sub = self._store.neighbors(
            doc_id, 1, labels=["Passage", "Section"], rel_types=["HAS_PASSAGE", "HAS_SECTION"], limit=_OUTLINE_LIMIT
        )
        passages = []
        headings: dict[str, str] = {}
        for n in sub.nodes:
            if n.label == "Passage":
                p = as_passage(n)
                passages.append(
                    QuotedPassage(id=p.id, doc_id=p.doc_id, section_path=p.section_path, text=p.text, order=p.order)
                )
            elif n.label == "Section":
                section = as_section(n)
                headings[section.path] = section.heading
        outline = DocumentOutline(doc_id=doc_id, passages=sorted(passages, key=lambda p: p.order), headings=headings)
        with self._lock:
            if len(self._outlines) >= _OUTLINE_CACHE:
                self._outlines.clear()
            self._outlines[(doc_id, sha)] = outline
        return outline

    def title_of(self, doc_id: str) -> str:
        found = self.version(doc_id)
        return found.title if found else ""


def _status(doc: Document, newest_first_index: int) -> VersionStatus:
    """The contract's status when written, else: the newest version of a work is current."""
    return status_of(doc) or ("current" if newest_first_index == 0 else "superseded")
