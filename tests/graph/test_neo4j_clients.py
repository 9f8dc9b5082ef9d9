"""Outside clients on the database our pipeline writes, unchanged: neo4j-graphrag's retrievers, LangChain's
Neo4jVector (hybrid) and Neo4jGraph (the schema through APOC). They get our real embedder through their own
embedder interfaces and plain Chinese queries; the raw-text index (cypher.TEXT_INDEX) answers their keyword
half. Index names, properties and dimensions for such clients: docs/neo4j.md."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from langchain_core.embeddings import Embeddings
from langchain_neo4j import Neo4jGraph, Neo4jVector
from neo4j import Driver, GraphDatabase
from neo4j_graphrag.embeddings import Embedder as GraphragEmbedder
from neo4j_graphrag.neo4j_queries import FULL_TEXT_SEARCH_QUERY
from neo4j_graphrag.retrievers import HybridRetriever, VectorRetriever

from graph import cypher
from graph.factory import make_store
from ingest.embedding import Embedder
from ingest.pipeline import IngestPipeline
from tests.conftest import CORPUS_DIR

pytestmark = [
    pytest.mark.neo4j,
    pytest.mark.model,
    # Both libraries warn that their default `id` field (an element id) will go in 2.0; we read `text`.
    pytest.mark.filterwarnings("ignore:The default returned 'id' field:DeprecationWarning"),
]

# (query, a string the right passage holds): from ../shared/eval/seed_dev_qa.json.
QUERIES = [("给紧缺技能人才的住房优惠", "住房医疗"), ("高职专科在职业教育中的地位", "夯实高职专科教育主体地位")]


class OurGraphragEmbedder(GraphragEmbedder):
    def __init__(self, inner: Embedder) -> None:
        super().__init__()
        self._inner = inner

    def embed_query(self, text: str) -> list[float]:
        return self._inner.embed_query(text)


class OurLangchainEmbeddings(Embeddings):
    def __init__(self, inner: Embedder) -> None:
        self._inner = inner

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._inner.embed_passages(texts)

    def embed_query(self, text: str) -> list[float]:
        return self._inner.embed_query(text)


@pytest.fixture
def seed_neo4j(clean_neo4j: str, embedder: Embedder, tmp_path: Path) -> str:
    """The seed corpus ingested into Neo4j through our own pipeline, with our knowledge tables (as `chuyi ingest`)."""
    store = make_store("neo4j", data_dir=tmp_path, neo4j_uri=clean_neo4j)
    store.start()
    try:
        pipeline = IngestPipeline(
            store, embedder, max_file_bytes=10**7, progress=False, knowledge_dir=CORPUS_DIR / "knowledge"
        )
        summary = pipeline.ingest_paths([CORPUS_DIR / "policies"])
        assert summary.ok and summary.passages >= 20, summary.errors
    finally:
        store.close()
    return clean_neo4j


@pytest.fixture
def driver(seed_neo4j: str) -> Iterator[Driver]:
    with GraphDatabase.driver(seed_neo4j, auth=("neo4j", "neo4j")) as d:
        yield d


def test_graphrag_full_text_query_gets_keyword_hits(driver: Driver) -> None:
    """The keyword half of HybridRetriever, as it sends it: a plain Chinese query, no segmentation."""
    for query, gold in QUERIES:
        records, _, _ = driver.execute_query(
            FULL_TEXT_SEARCH_QUERY, fulltext_index_name=cypher.TEXT_INDEX, query_text=query, top_k=5
        )
        assert records, query
        assert any(gold in r["node"]["text"] for r in records), query


def test_graphrag_hybrid_and_vector_retrievers(driver: Driver, embedder: Embedder) -> None:
    ours = OurGraphragEmbedder(embedder)
    hybrid = HybridRetriever(driver, cypher.VECTOR_INDEX, cypher.TEXT_INDEX, ours, return_properties=["id", "text"])
    vector = VectorRetriever(driver, cypher.VECTOR_INDEX, ours, return_properties=["id", "text"])
    for query, gold in QUERIES:
        for retriever in (hybrid, vector):
            records = retriever.get_search_results(query_text=query, top_k=5).records
            assert len(records) == 5, (type(retriever).__name__, query)
            assert any(gold in r["node"]["text"] for r in records), (type(retriever).__name__, query)


def test_langchain_hybrid_vector_store(seed_neo4j: str, driver: Driver, embedder: Embedder) -> None:
    texts = {r["text"] for r in driver.execute_query("MATCH (p:Passage) RETURN p.text AS text").records}
    store = Neo4jVector.from_existing_index(
        OurLangchainEmbeddings(embedder),
        url=seed_neo4j,
        username="neo4j",
        password="neo4j",
        index_name=cypher.VECTOR_INDEX,
        keyword_index_name=cypher.TEXT_INDEX,
        search_type="hybrid",
    )
    try:
        assert store.text_node_property == "text" and store.node_label == "Passage"
        for query, gold in QUERIES:
            docs = store.similarity_search(query, k=5)
            assert len(docs) == 5, query
            assert any(gold in d.page_content for d in docs), query
            # The raw passage text, not the search tokens of our own index.
            assert all(d.page_content in texts for d in docs), query
    finally:
        store._driver.close()


def test_langchain_graph_reads_the_schema_through_apoc(seed_neo4j: str) -> None:
    graph = Neo4jGraph(url=seed_neo4j, username="neo4j", password="neo4j", refresh_schema=True)
    try:
        schema = graph.get_structured_schema
        assert {"Document", "Passage", "Organization"} <= set(schema["node_props"])
        assert {"text", "doc_id", "section_path"} <= {p["property"] for p in schema["node_props"]["Passage"]}
        rels = {(r["start"], r["type"], r["end"]) for r in schema["relationships"]}
        assert ("Document", "HAS_PASSAGE", "Passage") in rels and ("Document", "ISSUED_BY", "Organization") in rels
        assert "Passage" in graph.get_schema
    finally:
        graph.close()
