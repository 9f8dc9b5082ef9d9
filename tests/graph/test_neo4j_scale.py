"""Neo4j for scale: the store revision, batch reads, the atomic origin replacement, and writes that find an
origin's nodes through an index (no statement a write sends scans every node or relationship)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from neo4j import GraphDatabase

from graph import cypher
from graph.models import DocumentBundle, Entity, Relation, SearchFilters
from graph.neo4j_store import Neo4jStore
from graph.store import GraphStore
from tests.graph.conftest import load_known_graph
from tests.graph.graphs import REFERENCE_ORIGIN, plan_a, plan_b, reference

pytestmark = pytest.mark.neo4j

# Plan operators that read every node or relationship (or every node of a label).
_SCANS = ("AllNodesScan", "NodeByLabelScan", "AllRelationshipsScan", "RelationshipTypeScan")


@pytest.fixture
def loaded_neo4j(neo4j_store: GraphStore) -> GraphStore:
    load_known_graph(neo4j_store)
    return neo4j_store


def _operators(plan: Any) -> list[str]:
    return [plan["operatorType"].split("@")[0], *(op for child in plan.get("children", []) for op in _operators(child))]


def _explain(uri: str, statement: str, **params: Any) -> list[str]:
    with GraphDatabase.driver(uri, auth=("neo4j", "neo4j")) as driver, driver.session() as session:
        return _operators(session.run("EXPLAIN " + statement, parameters=params).consume().plan)


def _count_reads(store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    read = store._read  # type: ignore[attr-defined]

    def counting(statement: str, **params: Any) -> list[Any]:
        seen.append(statement)
        return read(statement, **params)

    monkeypatch.setattr(store, "_read", counting)
    return seen


# -- revision ------------------------------------------------------------------------------------
def test_revision_changes_on_every_write_and_only_then(neo4j_store: GraphStore) -> None:
    seen = [neo4j_store.revision()]

    def wrote() -> None:
        seen.append(neo4j_store.revision())
        assert seen[-1] != seen[-2]

    neo4j_store.upsert_document(plan_a())
    wrote()
    entities, relations = reference()
    neo4j_store.upsert_entities(entities, relations, REFERENCE_ORIGIN)
    wrote()
    neo4j_store.replace_origin(entities, relations, REFERENCE_ORIGIN)
    wrote()
    neo4j_store.delete_origin(REFERENCE_ORIGIN)
    wrote()
    assert neo4j_store.delete_document("doc:a") is True
    wrote()
    # Reads and a delete that finds nothing leave it alone.
    neo4j_store.list_documents(), neo4j_store.stats(), neo4j_store.get_nodes(["doc:a"])
    assert neo4j_store.delete_document("doc:a") is False
    assert neo4j_store.revision() == seen[-1]


def test_revision_is_the_same_for_another_store_object(loaded_neo4j: GraphStore, clean_neo4j: str) -> None:
    other = Neo4jStore(clean_neo4j, "neo4j", "neo4j")
    other.start()
    try:
        assert other.revision() == loaded_neo4j.revision() > 0
        other.upsert_document(plan_b())
        assert loaded_neo4j.revision() == other.revision()
    finally:
        other.close()


def test_the_revision_node_is_not_part_of_the_graph(loaded_neo4j: GraphStore) -> None:
    exported = loaded_neo4j.export_json()
    assert all(n.id != cypher.META_ID for n in exported.nodes)
    assert "Meta" not in loaded_neo4j.stats().nodes
    assert loaded_neo4j.find_entities("") and all(n.label != "Meta" for n in loaded_neo4j.find_entities(""))


# -- batch reads ---------------------------------------------------------------------------------
def test_get_nodes_is_one_round_trip_and_leaves_out_unknown_ids(
    loaded_neo4j: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = _count_reads(loaded_neo4j, monkeypatch)
    nodes = loaded_neo4j.get_nodes(["psg:a1", "org:edu", "no:such", "psg:a1"])
    assert len(reads) == 1
    assert set(nodes) == {"psg:a1", "org:edu"}
    assert nodes["org:edu"] == loaded_neo4j.get_node("org:edu")
    assert nodes["psg:a1"].label == "Passage" and "embedding" not in nodes["psg:a1"].properties
    reads.clear()
    assert loaded_neo4j.get_nodes([]) == {} and reads == []


def test_get_document(loaded_neo4j: GraphStore) -> None:
    doc = loaded_neo4j.get_document("doc:a")
    assert doc is not None and doc == plan_a().document
    assert doc in loaded_neo4j.list_documents()
    assert loaded_neo4j.get_document("doc:none") is None
    assert loaded_neo4j.get_document("psg:a1") is None  # a node, but not a document


# -- replace_origin --------------------------------------------------------------------------------
def test_replace_origin_swaps_the_set(loaded_neo4j: GraphStore) -> None:
    entities, _ = reference()
    kept = [e for e in entities if e.id == "org:hngy"]
    new = Entity(id="reg:cs", label="Region", name="长沙市")
    loaded_neo4j.replace_origin(
        [*kept, new], [Relation(source="org:hngy", target="reg:cs", type="LOCATED_IN")], REFERENCE_ORIGIN
    )
    assert loaded_neo4j.get_node("reg:cs") is not None
    assert loaded_neo4j.get_node("reg:hn") is None  # only the old set brought it
    hngy = loaded_neo4j.get_node("org:hngy")
    assert hngy is not None and REFERENCE_ORIGIN in hngy.origins
    located = loaded_neo4j.edges_of("org:hngy", ["LOCATED_IN"], "out")
    assert [e.target for e in located] == ["reg:cs"]
    edu = loaded_neo4j.get_node("org:edu")
    assert edu is not None and REFERENCE_ORIGIN not in edu.origins


def test_replace_origin_is_atomic_for_readers(loaded_neo4j: GraphStore) -> None:
    entities, relations = reference()
    stop = threading.Event()
    empty_reads: list[int] = []

    errors: list[Exception] = []

    def reader() -> None:
        while not stop.is_set():
            try:
                held = loaded_neo4j.get_nodes([e.id for e in entities])
            except Exception as exc:
                errors.append(exc)
                return
            if not any(REFERENCE_ORIGIN in n.origins for n in held.values()):
                empty_reads.append(1)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for _ in range(15):
            loaded_neo4j.replace_origin(entities, relations, REFERENCE_ORIGIN)
    finally:
        stop.set()
        thread.join()
    assert errors == [] and empty_reads == []


# -- writes through indexes ------------------------------------------------------------------------
def test_no_write_statement_scans(clean_neo4j: str, neo4j_store: GraphStore) -> None:
    """EXPLAIN every statement a write sends (and the filter lookups): none reads every node."""
    statements: list[tuple[str, dict[str, Any]]] = [
        (cypher.RELEASE_ORIGIN, {"origin": "doc:a", "origin_query": '"doc:a"'}),
        (cypher.BUMP_REVISION, {"meta_id": cypher.META_ID}),
        (cypher.DOCUMENT_EXISTS, {"doc_id": "doc:a"}),
        (cypher.SET_EMBEDDINGS, {"rows": []}),
        (cypher.GET_DOCUMENT, {"doc_id": "doc:a"}),
        (cypher.NODES_BY_ID, {"ids": ["a"]}),
        (cypher.PASSAGES_OF_DOCUMENTS, {"doc_ids": ["doc:a"]}),
        (cypher.PASSAGES_UNDER_SECTION, {"section_prefix": "二"}),
        (cypher.PASSAGES_FOR_ENTITIES, {"entity_ids": ["org:edu"]}),
        (cypher.NODE_COUNTS, {}),
        (cypher.REL_COUNTS, {}),
        *[(cypher.merge_nodes(label), {"rows": [], "origin": "o"}) for label in cypher.NODE_LABELS],
        *[(cypher.merge_relationships(t), {"rows": [], "origin": "o"}) for t in cypher.REL_TYPES],
    ]
    for statement, params in statements:
        operators = _explain(clean_neo4j, statement, **params)
        assert not [op for op in operators if op in _SCANS], (statement, operators)


def test_release_finds_every_node_of_a_large_origin(neo4j_store: GraphStore) -> None:
    origin = 'reference:odd "name" \\ with-specials/and:colons'
    entities = [Entity(id=f"ind:{i}", label="Industry", name=f"行业{i}") for i in range(2500)]
    relations = [Relation(source=f"ind:{i}", target=f"ind:{i // 10}", type="CHILD_OF") for i in range(10, 2500)]
    neo4j_store.upsert_entities(entities, relations, origin)
    neo4j_store.upsert_entities(entities[:1], [], "reference:other")
    assert neo4j_store.stats().nodes == {"Industry": 2500}
    neo4j_store.delete_origin(origin)
    assert neo4j_store.stats().nodes == {"Industry": 1}
    assert neo4j_store.stats().relationships == {}
    kept = neo4j_store.get_node("ind:0")
    assert kept is not None and kept.origins == ["reference:other"]


def test_a_database_without_the_origin_index_gets_it_at_start(loaded_neo4j: GraphStore, clean_neo4j: str) -> None:
    """A database written before the index existed: start() creates and fills it, then writes use it."""
    with GraphDatabase.driver(clean_neo4j, auth=("neo4j", "neo4j")) as driver, driver.session() as session:
        session.run(f"DROP INDEX {cypher.ORIGIN_INDEX}").consume()
    fresh = Neo4jStore(clean_neo4j, "neo4j", "neo4j")
    fresh.start()
    try:
        assert fresh.delete_document("doc:a") is True
        assert fresh.get_node("psg:a1") is None and fresh.get_node("tgt:50") is None
        assert fresh.get_node("psg:b1") is not None
    finally:
        fresh.close()


def test_reupsert_in_one_transaction_releases_nodes_whose_relationships_go(loaded_neo4j: GraphStore) -> None:
    """The release reads the origin index before the transaction changes anything (see RELEASE_ORIGIN)."""
    smaller = DocumentBundle(document=plan_a().document, passages=plan_a().passages[:1])
    loaded_neo4j.upsert_document(smaller)
    for gone in ("psg:a2", "psg:a3", "psg:a4", "tgt:50", "sec:a1", "prog:base"):
        assert loaded_neo4j.get_node(gone) is None, gone
    edu = loaded_neo4j.get_node("org:edu")
    assert edu is not None and "doc:a" not in edu.origins


def test_filters_select_through_indexes(loaded_neo4j: GraphStore) -> None:
    def allowed(**fields: Any) -> list[str] | None:
        return loaded_neo4j._allowed(SearchFilters(**fields))  # type: ignore[attr-defined,no-any-return]

    assert allowed() is None
    assert allowed(doc_ids=["doc:b"]) == ["psg:b1"]
    assert allowed(section_prefix="二/（一）") == ["psg:a3", "psg:a4"]
    assert allowed(section_prefix="二/（一）", doc_ids=["doc:b"]) == []
    assert allowed(issuers=["湖南省财政厅"]) == ["psg:a1", "psg:a2", "psg:a3", "psg:a4"]
    assert allowed(entity_ids=["prog:school"], doc_ids=["doc:a"]) == ["psg:a3"]


def _keyword_corpus() -> list[DocumentBundle]:
    """Two documents of 150 passages each: in `doc:strong` 楚怡 is frequent (scores differ by how often),
    in `doc:weak` it is rare and every passage scores the same (ties all the way down)."""
    bundles = []
    for doc_id, texts in (
        ("doc:strong", ["楚怡" * (1 + i % 9) + f"职业教育第{i}条" for i in range(150)]),
        ("doc:weak", ["楚怡以及很多很多其他的文字内容和说明"] * 150),
    ):
        doc = plan_a().document.model_copy(update={"id": doc_id, "sha256": doc_id, "source": f"{doc_id}.txt"})
        passages = [
            plan_a().passages[0].model_copy(update={"id": f"{doc_id}:{i}", "doc_id": doc_id, "text": t, "order": i})
            for i, t in enumerate(texts)
        ]
        bundles.append(DocumentBundle(document=doc, passages=passages))
    return bundles


def test_filtered_keyword_search_is_exact_however_deep_it_reads(
    neo4j_store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A filtered keyword search reads only as deep as it must, and answers what reading every match would."""
    for bundle in _keyword_corpus():
        neo4j_store.upsert_document(bundle)
    tokens = ["楚怡"]
    query = "楚怡"
    reads = _count_reads(neo4j_store, monkeypatch)
    for doc_ids in (["doc:strong"], ["doc:weak"], ["doc:strong", "doc:weak"]):
        for k in (1, 2, 5, 40):
            reads.clear()
            got = neo4j_store.keyword_search(tokens, k, SearchFilters(doc_ids=doc_ids))
            allowed = neo4j_store._allowed(SearchFilters(doc_ids=doc_ids))  # type: ignore[attr-defined]
            exact = neo4j_store._read(  # type: ignore[attr-defined]
                cypher.KEYWORD_SEARCH, query=query, fetch=300, k=k, allowed=allowed
            )
            assert [h.passage.id for h in got] == [r["passage"]["id"] for r in exact], (doc_ids, k)
            assert [h.score for h in got] == pytest.approx([r["score"] for r in exact]), (doc_ids, k)
    # The strong document's best passages come from the first, shallow read alone.
    reads.clear()
    neo4j_store.keyword_search(tokens, 1, SearchFilters(doc_ids=["doc:strong"]))
    assert reads.count(cypher.KEYWORD_SEARCH_FILTERED) == 1 and cypher.KEYWORD_SEARCH not in reads


# -- the raw-text index for outside clients --------------------------------------------------------
def test_raw_text_index_uses_the_cjk_analyzer(loaded_neo4j: GraphStore, clean_neo4j: str) -> None:
    with GraphDatabase.driver(clean_neo4j, auth=("neo4j", "neo4j")) as driver, driver.session() as session:
        row = session.run(
            "SHOW INDEXES YIELD name, labelsOrTypes, properties, options WHERE name = $name "
            "RETURN labelsOrTypes, properties, options.indexConfig AS config",
            name=cypher.TEXT_INDEX,
        ).single(strict=True)
        assert row["labelsOrTypes"] == ["Passage"] and row["properties"] == ["text"]
        assert row["config"]["fulltext.analyzer"] == "cjk"
        hits = session.run(
            f"CALL db.index.fulltext.queryNodes('{cypher.TEXT_INDEX}', $q) YIELD node RETURN node.id AS id",
            q="楚怡文化传承基地在哪里",
        ).value()
    assert hits and hits[0] == "psg:a2"
