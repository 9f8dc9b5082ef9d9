"""The ingest pipeline: files → loaded text → clean, structured bundle → embeddings → store.

Each file is processed on its own: a bad file becomes a FileError in the summary and the run goes on.
A document is written by one `store.upsert_document` call (one transaction / one atomic save), after
every passage has been embedded, so a failure part-way leaves the store as it was. Each document is
ingested under an IngestBudget (ingest.limits): its text, archive and time limits are checked while
it is read and built, and a cancelled or over-limit document stops before the write.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from tqdm import tqdm

from graph.store import GraphStore
from ingest.bundle import BuiltDocument, DocumentBuilder, document_id
from ingest.embedding import Embedder
from ingest.errors import EmbeddingFailed, IngestError, ModelUnavailable
from ingest.knowledge import KnowledgeBase, register_jieba_words
from ingest.limits import IngestBudget, IngestLimits
from ingest.loaders import load_file, supported_suffixes
from ingest.models import FileError, FileOutcome, IngestSummary, SkippedFile
from ingest.reports import MAX_REPORT_BYTES, DocumentReport, write_document_report, write_run_summary
from ingest.sentences import SentenceVectors, sentence_bodies
from ingest.textkey import text_fingerprint
from ingest.versions import plan_versions, refresh_versions, superseded_lines

__all__ = ["IngestPipeline", "collect_files", "document_id", "walk_files"]

EMBED_BATCH = 64
# Files that come with a folder of texts but are not policy texts themselves (a repository's or a data
# set's own documentation): left out of folder walks and reported.
NOT_POLICY_TEXT = re.compile(
    r"^(?:readme|sources?|licen[cs]e|copying|notice|changelog|changes|history|news|contributing|authors|"
    r"maintainers|code_of_conduct|security|todo|install|manifest)(?:[._-].*)?$",
    re.IGNORECASE,
)
_DATA_SUFFIXES = frozenset({".csv", ".tsv", ".json", ".jsonl", ".xlsx", ".xls", ".xml", ".yaml", ".yml", ".parquet"})


def walk_files(paths: Iterable[Path]) -> tuple[list[Path], list[SkippedFile]]:
    """Files named directly are always taken; folders contribute the policy texts we know how to load,
    and the rest of what they hold is reported as skipped (hidden files are passed over silently)."""
    suffixes = supported_suffixes()
    found: list[Path] = []
    skipped: list[SkippedFile] = []
    for path in paths:
        if not path.is_dir():
            found.append(path)
            continue
        for p in sorted(p for p in path.rglob("*") if p.is_file()):
            if any(part.startswith(".") for part in p.relative_to(path).parts):
                continue
            suffix = p.suffix.lower()
            if NOT_POLICY_TEXT.match(p.name):
                reason = "not a policy text (documentation of the folder)"
            elif suffix in _DATA_SUFFIXES:
                reason = f"a data file ({suffix}), not a policy text"
            elif suffix not in suffixes:
                reason = f"not a format we read ({suffix or 'no extension'})"
            else:
                found.append(p)
                continue
            skipped.append(SkippedFile(source=str(p), reason=reason))
    return found, skipped


def collect_files(paths: Iterable[Path]) -> list[Path]:
    return walk_files(paths)[0]


class IngestPipeline:
    def __init__(
        self,
        store: GraphStore,
        embedder: Embedder,
        *,
        max_file_bytes: int,
        progress: bool = True,
        knowledge: KnowledgeBase | None = None,
        knowledge_dir: Path | None = None,
        report_dir: Path | None = None,
        max_passage_chars: int = 400,
        force: bool = False,
        embed_batch: int = EMBED_BATCH,
        limits: IngestLimits | None = None,
        max_report_bytes: int = MAX_REPORT_BYTES,
        sentence_vectors: SentenceVectors | None = None,
        sentence_embedder: Embedder | None = None,
    ) -> None:
        self._store = store
        self._embedder = embedder
        # With `sentence_vectors`, the sentences an extractive answer scores are embedded here, once, and
        # kept there (ingest.sentences). `sentence_embedder` is the embedder for them when it is not
        # `embedder` (the scale benchmark keeps them out of its exact-kNN floor).
        self._sentence_vectors = sentence_vectors
        self._sentence_embedder = sentence_embedder or embedder
        self._max_file_bytes = max_file_bytes
        self._progress = progress
        self._knowledge = knowledge
        self._knowledge_dir = knowledge_dir
        self._report_dir = report_dir
        self._max_passage_chars = max_passage_chars
        self._force = force
        self._embed_batch = embed_batch
        self._limits = limits or IngestLimits()
        self._max_report_bytes = max_report_bytes
        self._builder: DocumentBuilder | None = None

    def prepare(self) -> None:
        """Load the knowledge tables and teach jieba their names now rather than on the first file."""
        _ = self.builder

    @property
    def builder(self) -> DocumentBuilder:
        """Built on first use: reading the knowledge tables is I/O, which constructors do not do."""
        if self._builder is None:
            kb = self._knowledge
            if kb is None:
                kb = KnowledgeBase.load(self._knowledge_dir) if self._knowledge_dir else KnowledgeBase()
            register_jieba_words(self._store.tokenizer, kb)
            self._builder = DocumentBuilder(kb, self._max_passage_chars)
        return self._builder

    def ingest_paths(self, paths: Iterable[Path]) -> IngestSummary:
        files, skipped = walk_files(paths)
        summary = IngestSummary(report_dir=str(self._report_dir) if self._report_dir else None, skipped=skipped)
        bar = tqdm(files, desc="ingest", unit="file", disable=not self._progress)
        for path in bar:
            bar.set_postfix_str(path.name[-30:], refresh=False)
            outcome = self.ingest_file(path)
            summary.files.append(outcome)
            if outcome.status == "failed" and outcome.error is not None:
                summary.errors.append(outcome.error)
            elif outcome.status == "unchanged":
                summary.unchanged += 1
            elif outcome.status == "duplicate":
                summary.duplicates += 1
            else:
                summary.documents += 1
                summary.passages += outcome.passages
                summary.entities += outcome.entities
                summary.relations += outcome.relations
                summary.duplicates_dropped += outcome.duplicates_dropped
        if summary.documents:  # a new or changed document may change which version of its work is current
            plan = refresh_versions(self._store)
            ingested = {f.doc_id for f in summary.files if f.status == "ingested"}
            docs = self._store.list_documents()
            touched = [(new, old) for new, old in plan.supersedes if new in ingested or old in ingested]
            summary.superseded = superseded_lines(docs, plan.model_copy(update={"supersedes": touched}))
        if self._report_dir is not None:
            write_run_summary(self._report_dir, summary)
        return summary

    def ingest_file(self, path: Path) -> FileOutcome:
        """Ingest one file. Input problems come back as a failed outcome; store and model problems raise."""
        try:
            return self.ingest_one(path)
        except ModelUnavailable:
            raise
        except IngestError as exc:
            return _failed(path, type(exc).__name__, str(exc))
        except OSError as exc:
            return _failed(path, "OSError", str(exc))

    def ingest_one(self, path: Path, budget: IngestBudget | None = None) -> FileOutcome:
        """Ingest one file under `budget` (the configured limits when None); every problem raises
        (IngestError for the input, LimitExceeded/IngestCancelled when it stopped early)."""
        with (budget or IngestBudget(self._limits)).active() as active:
            return self._ingest(path, active)

    def _ingest(self, path: Path, budget: IngestBudget) -> FileOutcome:
        budget.checkpoint("loading")
        loaded = load_file(path, self._max_file_bytes)
        existing = self._store.get_document_by_sha(loaded.sha256)
        if existing is not None and not self._force:
            # Same bytes as a stored document (under this name or another): nothing to do.
            return FileOutcome(source=str(path), status="unchanged", doc_id=existing.id, title=existing.title)
        own_id = document_id(str(path))
        fingerprint = text_fingerprint(loaded.text)
        same_text = next(iter(self._store.find_documents(text_sha256=fingerprint)), None)
        if same_text is not None and same_text.id != own_id:
            # The same text under another name or encoding (a GBK copy, a page saved twice): one document.
            return FileOutcome(source=str(path), status="duplicate", doc_id=same_text.id, title=same_text.title,
                               duplicate_of=same_text.source)  # fmt: skip
        if same_text is not None and not self._force:
            return FileOutcome(source=str(path), status="unchanged", doc_id=same_text.id, title=same_text.title)
        budget.checkpoint("building")
        built = self.builder.build(loaded)
        self._embed(built, budget)
        names = [e.name for e in built.bundle.entities if e.label in ("Organization", "Programme")]
        register_jieba_words(self._store.tokenizer, self.builder.kb, names)
        doc = built.bundle.document
        # Written with its status right away; refresh_versions fixes the other versions after the run.
        # Only the versions of its own work bear on its status (plan_versions groups by work), read through
        # the store's index: planning over every stored document made a bulk load quadratic.
        others = [d for d in self._store.find_documents(work=doc.work) if d.id != doc.id] if doc.work else []
        doc.status = plan_versions([*others, doc]).status[doc.id]
        budget.checkpoint("writing")  # the last point where it may stop: the write itself is atomic
        self._store.upsert_document(built.bundle)
        report_path = self._write_report(built)
        b = built.bundle
        return FileOutcome(
            source=str(path), status="ingested", doc_id=b.document.id, title=b.document.title,
            passages=len(b.passages), entities=len(b.entities), relations=len(b.relations),
            duplicates_dropped=built.report.duplicates_dropped, report=str(report_path) if report_path else None,
            warnings=built.metadata.warnings,
        )  # fmt: skip

    def _embed(self, built: BuiltDocument, budget: IngestBudget) -> None:
        """Passage vectors into the bundle; with a sentence-vector cache, the vectors of the answer sentences
        it does not hold yet into it (progress counts both)."""
        passages = built.bundle.passages
        sentences: list[str] = []
        if self._sentence_vectors is not None:
            bodies = (b for p in passages for b in sentence_bodies(p.text))
            sentences = self._sentence_vectors.missing(bodies)
        total = len(passages) + len(sentences)
        vectors = self._embed_texts(self._embedder, [p.text for p in passages], "passage", budget, 0, total)
        for passage, vector in zip(passages, vectors, strict=True):
            passage.embedding = vector
        if self._sentence_vectors is not None and sentences:
            kept = self._embed_texts(self._sentence_embedder, sentences, "sentence", budget, len(passages), total)
            self._sentence_vectors.put_many(sentences, kept)

    def _embed_texts(
        self, embedder: Embedder, texts: list[str], what: str, budget: IngestBudget, done: int, total: int
    ) -> list[list[float]]:
        out: list[list[float]] = []
        for start in range(0, len(texts), self._embed_batch):
            budget.checkpoint("embedding", done + start, total)
            batch = texts[start : start + self._embed_batch]
            try:
                vectors = embedder.embed_passages(batch)
            except (ModelUnavailable, MemoryError):
                raise
            except Exception as exc:  # the model's own errors are many; none may leave half a document
                raise EmbeddingFailed(
                    f"embedding failed at {what} {start} of {len(texts)} ({type(exc).__name__}: {exc}); "
                    "nothing of this document was written"
                ) from exc
            if len(vectors) != len(batch):
                raise EmbeddingFailed(f"the embedder returned {len(vectors)} vectors for {len(batch)} {what}s")
            out.extend(vectors)
        return out

    def _write_report(self, built: BuiltDocument) -> Path | None:
        if self._report_dir is None:
            return None
        b = built.bundle
        doc = DocumentReport(
            report=built.report, metadata=built.metadata, sections=len(b.sections),
            passages=len(b.passages), entities=len(b.entities), relations=len(b.relations),
        )  # fmt: skip
        return write_document_report(self._report_dir, doc, self._max_report_bytes)


def _failed(path: Path, error: str, message: str) -> FileOutcome:
    err = FileError(source=str(path), error=error, message=message)
    return FileOutcome(source=str(path), status="failed", error=err)

