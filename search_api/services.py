"""The objects a running service holds, built from Settings and started in one place."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from graph.errors import StoreUnavailable
from graph.factory import make_store
from graph.store import GraphStore
from ingest.embedding import Embedder, make_embedder
from ingest.pipeline import IngestPipeline
from ingest.reference.load import load_reference
from ingest.reference.models import ReferenceReport
from ingest.sentences import SentenceVectors
from ingest.sentences import file_for as sentence_vectors_file
from search_api.ask.llm import LLMPhraser
from search_api.ask.service import AskService
from search_api.documents import DocumentService
from search_api.expansion import THESAURUS_FILE, Thesaurus
from search_api.explore.service import ExploreService
from search_api.exports import ExportService
from search_api.hybrid import HybridRetriever
from search_api.jobs import Job, JobRunner
from search_api.matching.refresh import ReferenceLoad, refresh_serves
from search_api.matching.service import MatchService
from search_api.references.aliases import LAW_ALIASES_FILE
from search_api.references.catalogue import Library
from search_api.references.reading import QueryReader
from search_api.references.resolver import ReferenceResolver
from search_api.retrieval import LibraryRetriever
from search_api.search import SearchService
from search_api.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class Services:
    settings: Settings
    store: GraphStore
    embedder: Embedder
    retriever: LibraryRetriever
    search: SearchService
    ask: AskService
    explore: ExploreService
    documents: DocumentService
    matching: MatchService
    sentence_vectors: SentenceVectors
    jobs: JobRunner
    exports: ExportService
    # False when the store could not be reached at start-up; each request then tries again.
    store_ready: bool = True
    _start_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def create(cls, settings: Settings, store: GraphStore, embedder: Embedder) -> Services:
        """Wire the services around an already built store and embedder (started or not)."""
        knowledge = settings.corpus_dir / "knowledge"
        hybrid = HybridRetriever(store, embedder, thesaurus=Thesaurus(knowledge / THESAURUS_FILE))
        library = Library(store, knowledge / LAW_ALIASES_FILE)
        retriever = LibraryRetriever(hybrid, QueryReader(library, ReferenceResolver(library)))
        llm = None
        if settings.llm_base_url and settings.llm_model:
            key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
            llm = LLMPhraser(settings.llm_base_url, settings.llm_model, key)
        jobs = JobRunner(settings.max_queued_jobs)
        documents = DocumentService(
            store,
            lambda: services.ingest_pipeline(),
            jobs,
            settings.ingest_limits(),
            max_bytes=settings.max_file_bytes,
            job_threshold_bytes=settings.job_threshold_bytes,
            library=library,
        )
        matching = MatchService(
            store, embedder, settings.embedding_model, settings.data_dir / "cache", settings.reference_dir
        )
        search = SearchService(retriever)
        sentence_vectors = SentenceVectors(sentence_vectors_file(settings.data_dir / "cache", settings.embedding_model))
        services: Services
        services = cls(
            settings=settings,
            store=store,
            embedder=embedder,
            retriever=retriever,
            search=search,
            ask=AskService(store, embedder, retriever, llm, matching=matching, sentence_vectors=sentence_vectors),
            explore=ExploreService(store),
            documents=documents,
            matching=matching,
            sentence_vectors=sentence_vectors,
            jobs=jobs,
            exports=ExportService(store, search),
        )
        return services

    def ingest_pipeline(self, progress: bool = False, force: bool = False) -> IngestPipeline:
        return IngestPipeline(
            self.store,
            self.embedder,
            max_file_bytes=self.settings.max_file_bytes,
            progress=progress,
            knowledge_dir=self.settings.corpus_dir / "knowledge",
            report_dir=self.settings.data_dir / "reports",
            force=force,
            limits=self.settings.ingest_limits(),
            max_report_bytes=self.settings.max_report_bytes,
            sentence_vectors=self.sentence_vectors if self.settings.sentence_vectors_at_ingest else None,
        )

    def load_reference(self) -> ReferenceReport:
        """Reference data (CHUYI_REFERENCE_DIR) and corpora/knowledge into the store. SERVES are matching's
        to write (search_api.matching.refresh), which `chuyi ingest` runs after this."""
        report = load_reference(self.store, self.settings.reference_dir, self.settings.corpus_dir / "knowledge")
        self.matching.invalidate()  # the next request reads the new catalogues, not the cached index
        return report

    def reload_reference(self, job: Job) -> ReferenceLoad:
        """What `chuyi ingest` does for the reference data, as a job: the datasets replaced whole, then
        matching's SERVES recomputed."""
        job.report("loading", 0, 2)
        report = self.load_reference()
        if self.settings.reference_dir is None:
            report.warnings.append("CHUYI_REFERENCE_DIR is not set: nothing was reloaded, SERVES left as they are")
            return ReferenceLoad(report=report)
        job.report("serves", 1, 2)
        return refresh_serves(self.store, self.matching, report)

    def ensure_store(self) -> None:
        """Start the store if start-up could not reach it; raises StoreUnavailable while it still cannot."""
        if self.store_ready:
            return
        with self._start_lock:
            if not self.store_ready:
                self.store.start()
                self.store_ready = True

    def close(self) -> None:
        self.jobs.shutdown()  # a running job stops at its next checkpoint, before it writes
        self.store.close()
        self.sentence_vectors.close()


def build_services(settings: Settings, *, progress: bool = False) -> Services:
    store = make_store(
        settings.store,
        data_dir=settings.data_dir,
        neo4j_uri=settings.neo4j_uri,
        neo4j_user=settings.neo4j_user,
        neo4j_password=settings.neo4j_password.get_secret_value(),
        neo4j_database=settings.neo4j_database,
        neo4j_timeouts=settings.neo4j_timeouts(),
    )
    embedder = make_embedder(
        settings.embedding_model,
        backend=settings.embedding_backend,
        query_threads=settings.embedding_query_threads,
        batch_size=settings.embedding_batch_size,
        show_progress=progress,
    )
    return Services.create(settings, store, embedder)


def start_services(
    settings: Settings, *, progress: bool = False, tolerate_store_down: bool = False, warm_matching: bool = False
) -> Services:
    """Build and start. With tolerate_store_down (the HTTP app), an unreachable store does not stop
    start-up: requests answer 503 until it can be reached. With warm_matching (the HTTP app), matching's
    caches are filled in the background, so that the first match call does not wait seconds for them."""
    services = build_services(settings, progress=progress)
    try:
        services.store.start()
    except StoreUnavailable as exc:
        if not tolerate_store_down:
            raise
        log.warning("store unavailable at start-up, will retry per request: %s", exc)
        services.store_ready = False
    services.embedder.start()
    # Queries must be segmented as the indexed text was: teach jieba our names before the first request
    # (the curated tables, and the organisations/programmes already in the store).
    services.ingest_pipeline().prepare()
    services.retriever.prepare()  # read the thesaurus and the law aliases now: a bad table fails start-up
    if services.store_ready:
        services.ask.gazetteer.refresh()
        if warm_matching:
            services.matching.warm_in_background()
    return services
