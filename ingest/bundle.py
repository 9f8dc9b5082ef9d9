"""One loaded document → one DocumentBundle: clean, structure, metadata, passages, extraction.

Ids come from content: the document id from its file name (a new version replaces the old one), section
ids from their path, passage ids from section path and text, entity ids from canonical names.
"""

from __future__ import annotations

import logging
from pathlib import Path

from pydantic import BaseModel

from graph.models import DOCUMENT_KINDS, Document, DocumentBundle, DocumentKind, Passage, Relation, Section, stable_id
from ingest.chunking import build_passages
from ingest.cleaning import clean
from ingest.extraction import Extractor
from ingest.knowledge import KnowledgeBase
from ingest.limits import checkpoint
from ingest.metadata import extract_metadata, guess_region, title_from_name
from ingest.models import CleanDocument, CleaningReport, DocumentMetadata, LoadedDocument, SectionNode
from ingest.orgs import OrgRecogniser
from ingest.programmes import ProgrammeRecogniser
from ingest.structure import build_structure
from ingest.textkey import text_fingerprint

log = logging.getLogger(__name__)


def document_id(source: str) -> str:
    return stable_id("doc", Path(source).name)


def _document_kind(kind: str | None) -> DocumentKind | None:
    return next((k for k in DOCUMENT_KINDS if k == kind), None)


class BuiltDocument(BaseModel):
    bundle: DocumentBundle
    report: CleaningReport
    metadata: DocumentMetadata


class DocumentBuilder:
    def __init__(self, kb: KnowledgeBase, max_passage_chars: int = 400) -> None:
        self.kb = kb
        self.orgs = OrgRecogniser(kb)
        self.programmes = ProgrammeRecogniser(kb)
        self._extractor = Extractor(kb, self.orgs, self.programmes)
        self._max_chars = max_passage_chars

    def _metadata(self, loaded: LoadedDocument, cleaned: CleanDocument, region: str | None) -> DocumentMetadata:
        """The document's metadata; a text whose metadata cannot be read still ingests, with the reason."""
        try:
            return extract_metadata(loaded, cleaned, self.orgs, region)
        except Exception as exc:  # the readers are rules over messy text; none of them may fail a document
            log.warning("metadata of %s could not be read: %s", loaded.source, exc, exc_info=True)
            title = title_from_name(loaded.source) or Path(loaded.source).stem
            return DocumentMetadata(title=title, region=region, title_from="file name",
                                    warnings=[f"metadata could not be read ({type(exc).__name__}: {exc})"])  # fmt: skip

    def build(self, loaded: LoadedDocument) -> BuiltDocument:
        doc_id = document_id(loaded.source)
        region = guess_region(loaded.text, self.orgs, self.kb)
        checkpoint("cleaning")
        cleaned = clean(loaded, self.orgs, region)
        cleaned.report.doc_id = doc_id
        checkpoint("structuring")
        structure = build_structure(cleaned.body, cleaned.report)
        meta = self._metadata(loaded, cleaned, region)

        section_ids = {s.key: stable_id("sec", doc_id, s.key) for s in structure.sections}
        sections = [
            Section(
                id=section_ids[s.key],
                doc_id=doc_id,
                path=s.key,
                heading=s.heading,
                order=s.order,
                level=s.level,
                parent_id=section_ids[s.parent_key] if s.parent_key else None,
            )
            for s in structure.sections
        ]
        headings: dict[str, list[str]] = {}
        by_key = {s.key: s for s in structure.sections}
        for s in structure.sections:
            chain: list[str] = []
            node: SectionNode | None = s
            while node is not None:
                chain.insert(0, node.heading)
                node = by_key.get(node.parent_key or "")
            headings[section_ids[s.key]] = chain

        passages: list[Passage] = []
        seen: dict[tuple[str, str], int] = {}
        header_passage: str | None = None  # the front passage: title and header lines
        for order, draft in enumerate(build_passages(cleaned, structure, self._max_chars)):
            path = draft.section_key or f"({draft.kind})"
            occurrence = seen.get((path, draft.text), 0)
            seen[(path, draft.text)] = occurrence + 1
            passages.append(
                Passage(
                    id=stable_id("psg", doc_id, path, draft.text, str(occurrence)),
                    doc_id=doc_id,
                    section_id=section_ids[draft.section_key] if draft.section_key else None,
                    section_path=draft.section_key or "",
                    text=draft.text,
                    order=order,
                )
            )
            if draft.kind == "front" and header_passage is None:
                header_passage = passages[-1].id
        checkpoint("extracting", 0, len(passages))
        extraction = self._extractor.extract(doc_id, passages, meta, headings)
        part_of = [Relation(source=s.id, target=s.parent_id, type="PART_OF") for s in sections if s.parent_id]
        document = Document(
            id=doc_id,
            title=meta.title,
            issuers=meta.issuers,
            doc_number=meta.doc_number,
            date=meta.date,
            source=Path(loaded.source).name,
            sha256=loaded.sha256,
            publication=meta.publication,
            kind=_document_kind(meta.kind),
            work=meta.work,
            version_date=meta.version_date,
            written_date=meta.written_date,
            subject=meta.subject,
            index_no=meta.index_no,
            text_sha256=text_fingerprint(loaded.text),
            header_passage_id=header_passage,
        )
        bundle = DocumentBundle(
            document=document,
            sections=sections,
            passages=passages,
            entities=extraction.entities,
            relations=[*part_of, *extraction.relations],
        )
        return BuiltDocument(bundle=bundle, report=cleaned.report, metadata=meta)
