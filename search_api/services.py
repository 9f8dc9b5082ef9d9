"""The objects a running service holds, built from Settings and started in one place."""

from __future__ import annotations

from dataclasses import dataclass

from graph.factory import make_store
from graph.store import GraphStore
from ingest.embedding import Embedder, SentenceTransformerEmbedder
from ingest.pipeline import IngestPipeline
from search_api.search import SearchService
from search_api.settings import Settings


@dataclass
class Services:
    settings: Settings
    store: GraphStore
    embedder: Embedder
    search: SearchService

    def ingest_pipeline(self, progress: bool = False, force: bool = False) -> IngestPipeline:
        return IngestPipeline(
            self.store,
            self.embedder,
            max_file_bytes=self.settings.max_file_bytes,
            progress=progress,
            knowledge_dir=self.settings.corpus_dir / "knowledge",
            report_dir=self.settings.data_dir / "reports",
            force=force,
        )

    def close(self) -> None:
        self.store.close()


def build_services(settings: Settings, *, progress: bool = False) -> Services:
    store = make_store(
        settings.store,
        data_dir=settings.data_dir,
        neo4j_uri=settings.neo4j_uri,
        neo4j_user=settings.neo4j_user,
        neo4j_password=settings.neo4j_password.get_secret_value(),
        neo4j_database=settings.neo4j_database,
    )
    embedder = SentenceTransformerEmbedder(
        settings.embedding_model, batch_size=settings.embedding_batch_size, show_progress=progress
    )
    return Services(settings=settings, store=store, embedder=embedder, search=SearchService(store, embedder))


def start_services(settings: Settings, *, progress: bool = False) -> Services:
    services = build_services(settings, progress=progress)
    services.store.start()
    services.embedder.start()
    return services
