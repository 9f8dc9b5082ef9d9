"""The store conformance suite: every behaviour runs against both backends (the `store` fixture is
parametrised over the embedded store and a real Neo4j), on the small known graph of graphs.py."""

from __future__ import annotations

import json
import threading

import networkx as nx
import pytest

from graph.errors import InvalidQuery, NodeNotFound, NotSupported, QueryRefused
from graph.models import Document, DocumentBundle, Entity, Passage, Relation, SearchFilters, Subgraph
from graph.store import GraphStore
from graph.text import tokenize
from tests.graph.graphs import ODD, REFERENCE_ORIGIN, plan_a, plan_b, reference, vec


def ids(hits: list) -> list[str]:
    return [h.passage.id for h in hits]


# -- empty store -------------------------------------------------------------------------------
def test_empty_store_answers_empty(store: GraphStore) -> None:
    store.ping()
    assert store.stats().node_total == 0 and store.stats().relationship_total == 0
    assert store.list_documents() == []
    assert store.get_node("doc:a") is None
    assert store.get_document_by_sha("sha-a") is None
    assert store.vector_search(vec((0, 1.0)), 5) == []
    assert store.keyword_search(tokenize("楚怡"), 5) == []
    assert store.find_entities("楚怡") == []
    assert store.export_json() == Subgraph()


def test_empty_store_deletes_are_noops(store: GraphStore) -> None:
    assert store.delete_document("doc:none") is False
    store.delete_origin("reference:none")
    assert store.stats().node_total == 0


def test_empty_store_graphml_is_readable(store: GraphStore) -> None:
    g = nx.parse_graphml(store.export_graphml())
    assert g.number_of_nodes() == 0


def test_unknown_node_raises_for_graph_reads(store: GraphStore) -> None:
    with pytest.raises(NodeNotFound):
        store.neighbors("org:none")
    with pytest.raises(NodeNotFound):
        store.edges_of("org:none")
    with pytest.raises(NodeNotFound):
        store.paths("org:none", "org:other")


# -- upsert ------------------------------------------------------------------------------------
def test_upsert_counts(loaded: GraphStore) -> None:
    stats = loaded.stats()
    assert stats.nodes == {
        "Document": 2, "Section": 2, "Passage": 5, "Organization": 3, "Programme": 2, "Target": 1, "Region": 1,
    }  # fmt: skip
    assert stats.relationships == {
        "HAS_SECTION": 2, "HAS_PASSAGE": 5, "ISSUED_BY": 3, "MENTIONS": 2, "ASSIGNED_TO": 1,
        "SETS_TARGET": 1, "PART_OF": 1, "LOCATED_IN": 2,
    }  # fmt: skip


def test_upsert_document_is_idempotent(loaded: GraphStore) -> None:
    before = loaded.export_json()
    loaded.upsert_document(plan_a())
    loaded.upsert_document(plan_b())
    assert loaded.export_json() == before


def test_upsert_entities_is_idempotent(loaded: GraphStore) -> None:
    before = loaded.export_json()
    entities, relations = reference()
    loaded.upsert_entities(entities, relations, REFERENCE_ORIGIN)
    assert loaded.export_json() == before


def test_reupsert_replaces_document_whole(loaded: GraphStore) -> None:
    smaller = plan_a()
    smaller.passages = smaller.passages[:2]
    smaller.relations = [r for r in smaller.relations if r.evidence in ("psg:a1", "psg:a2")]
    smaller.entities = [e for e in smaller.entities if e.id in ("org:edu", "org:fin", "prog:base")]
    loaded.upsert_document(smaller)
    assert loaded.get_node("psg:a3") is None and loaded.get_node("tgt:50") is None
    assert loaded.get_node("psg:a2") is not None
    # prog:school is still brought by document B, org:hngy by the reference data.
    school = loaded.get_node("prog:school")
    assert school is not None and school.origins == ["doc:b"]
    assert loaded.edges_of("prog:school", ["ASSIGNED_TO"]) == []


def test_get_node_returns_label_properties_and_origins(loaded: GraphStore) -> None:
    node = loaded.get_node("org:edu")
    assert node is not None
    assert node.label == "Organization"
    assert node.properties == {"name": "湖南省教育厅", "aliases": ["省教育厅"], "kind": "government"}
    assert sorted(node.origins) == ["doc:a", "doc:b", REFERENCE_ORIGIN]
    passage = loaded.get_node("psg:a1")
    assert passage is not None and "embedding" not in passage.properties and "tokens" not in passage.properties


def test_documents_listed_and_found_by_sha(loaded: GraphStore) -> None:
    docs = loaded.list_documents()
    assert [d.id for d in docs] == ["doc:a", "doc:b"]  # sorted by title: 湖… before 职…
    found = loaded.get_document_by_sha("sha-b")
    assert found == Document(
        id="doc:b", title="职业院校办学能力提升方案", issuers=["湖南省教育厅"], source="b.txt", sha256="sha-b"
    )


def test_documents_found_by_work_and_text(store: GraphStore) -> None:
    def version(doc_id: str, title: str, work: str | None, text: str) -> DocumentBundle:
        doc = Document(id=doc_id, title=title, source=f"{doc_id}.md", sha256=f"sha-{doc_id}", work=work,
                       text_sha256=text)  # fmt: skip
        return DocumentBundle(document=doc)

    store.upsert_document(version("doc:law22", "职业教育法（2022）", "职业教育法", "t-2022"))
    store.upsert_document(version("doc:law96", "职业教育法（1996）", "职业教育法", "t-1996"))
    store.upsert_document(version("doc:copy", "职业教育法（1996）副本", None, "t-1996"))
    store.upsert_document(version("doc:edu", "教育法", "教育法", "t-edu"))
    assert [d.id for d in store.find_documents(work="职业教育法")] == ["doc:law96", "doc:law22"]  # by title
    assert [d.id for d in store.find_documents(text_sha256="t-1996")] == ["doc:law96", "doc:copy"]
    assert [d.id for d in store.find_documents(work="职业教育法", text_sha256="t-2022")] == ["doc:law22"]
    assert store.find_documents(work="高等教育法") == []
    store.upsert_document(version("doc:law96", "职业教育法（1996）", "教育法", "t-new"))  # moved to another work
    assert [d.id for d in store.find_documents(work="职业教育法")] == ["doc:law22"]
    assert [d.id for d in store.find_documents(work="教育法")] == ["doc:edu", "doc:law96"]
    assert [d.id for d in store.find_documents(text_sha256="t-1996")] == ["doc:copy"]
    assert store.delete_document("doc:edu")
    assert [d.id for d in store.find_documents(work="教育法")] == ["doc:law96"]
    with pytest.raises(InvalidQuery):
        store.find_documents()


def test_relation_to_unknown_node_is_skipped(store: GraphStore) -> None:
    store.upsert_entities(
        [Entity(id="reg:hn", label="Region", name="湖南省")],
        [Relation(source="reg:hn", target="reg:none", type="PART_OF")],
        "reference:x",
    )
    assert store.stats().relationship_total == 0
    assert store.get_node("reg:none") is None


def test_none_property_removes_it(store: GraphStore) -> None:
    store.upsert_entities([Entity(id="reg:hn", label="Region", name="湖南", properties={"level": "省"})], [], "r")
    store.upsert_entities([Entity(id="reg:hn", label="Region", name="湖南", properties={"level": None})], [], "r")
    node = store.get_node("reg:hn")
    assert node is not None and node.properties == {"name": "湖南"}


# -- delete ------------------------------------------------------------------------------------
def test_delete_document_keeps_shared_entities(loaded: GraphStore) -> None:
    assert loaded.delete_document("doc:a") is True
    for gone in ("doc:a", "sec:a1", "psg:a1", "psg:a4", "prog:base", "tgt:50", "org:fin"):
        assert loaded.get_node(gone) is None, gone
    edu = loaded.get_node("org:edu")
    assert edu is not None and sorted(edu.origins) == ["doc:b", REFERENCE_ORIGIN]
    hngy = loaded.get_node("org:hngy")
    assert hngy is not None and hngy.origins == [REFERENCE_ORIGIN]
    assert [d.id for d in loaded.list_documents()] == ["doc:b"]


def test_delete_document_prunes_relations_and_evidence(loaded: GraphStore) -> None:
    loaded.delete_document("doc:a")
    (part_of,) = loaded.edges_of("prog:school", ["PART_OF"])
    assert part_of.evidence == ["psg:b1"] and part_of.origins == ["doc:b"]
    assert [(e.source, e.type) for e in loaded.edges_of("org:edu", ["ISSUED_BY"])] == [("doc:b", "ISSUED_BY")]
    assert loaded.stats().relationships == {"HAS_PASSAGE": 1, "ISSUED_BY": 1, "PART_OF": 1, "LOCATED_IN": 2}


def test_delete_document_twice_and_non_document(loaded: GraphStore) -> None:
    assert loaded.delete_document("doc:b") is True
    assert loaded.delete_document("doc:b") is False
    assert loaded.delete_document("org:edu") is False
    assert loaded.get_node("org:edu") is not None


def test_delete_all_origins_empties_store(loaded: GraphStore) -> None:
    loaded.delete_document("doc:a")
    loaded.delete_document("doc:b")
    loaded.delete_origin(REFERENCE_ORIGIN)
    assert loaded.stats().node_total == 0 and loaded.stats().relationship_total == 0
    assert loaded.vector_search(vec((0, 1.0)), 3) == []
    assert loaded.keyword_search(tokenize("楚怡"), 3) == []


def test_delete_origin_keeps_entities_documents_bring(loaded: GraphStore) -> None:
    loaded.delete_origin(REFERENCE_ORIGIN)
    assert loaded.get_node("reg:hn") is None
    hngy = loaded.get_node("org:hngy")
    assert hngy is not None and hngy.origins == ["doc:a"]
    assert loaded.edges_of("org:hngy", ["LOCATED_IN"]) == []


def test_relation_keeps_its_ends_alive(store: GraphStore) -> None:
    """A relationship's origin is recorded on its ends, so no origin's delete leaves it dangling."""
    store.upsert_entities([Entity(id="reg:hn", label="Region", name="湖南省")], [], "reference:regions")
    store.upsert_entities([Entity(id="reg:cs", label="Region", name="长沙市")], [], "reference:cities")
    store.upsert_entities([], [Relation(source="reg:cs", target="reg:hn", type="PART_OF")], "curated:geo")
    store.delete_origin("reference:regions")
    store.delete_origin("reference:cities")
    assert [(e.source, e.target) for e in store.edges_of("reg:hn")] == [("reg:cs", "reg:hn")]
    store.delete_origin("curated:geo")
    assert store.stats().node_total == 0


# -- revision, batch reads, replace_origin -----------------------------------------------------
def test_revision_changes_on_every_write_and_only_then(store: GraphStore) -> None:
    seen = [store.revision()]
    assert store.revision() == seen[0]

    def wrote() -> None:
        now = store.revision()
        assert now not in seen, "a write must give a new revision"
        seen.append(now)

    store.upsert_document(plan_a())
    wrote()
    store.upsert_document(plan_b())
    wrote()
    entities, relations = reference()
    store.upsert_entities(entities, relations, REFERENCE_ORIGIN)
    wrote()
    # Reads and deletes of nothing leave it alone.
    store.get_node("org:edu")
    store.get_nodes(["org:edu", "psg:a1"])
    store.vector_search(vec((0, 1.0)), 3)
    store.keyword_search(tokenize("楚怡"), 3)
    store.neighbors("org:edu", depth=2)
    store.paths("org:hngy", "org:fin")
    store.stats()
    store.export_json()
    assert store.delete_document("doc:none") is False
    store.delete_origin("reference:none")
    assert store.revision() == seen[-1]
    store.replace_origin([Entity(id="reg:cs", label="Region", name="长沙市")], [], REFERENCE_ORIGIN)
    wrote()
    assert store.delete_document("doc:b") is True
    wrote()
    store.delete_origin(REFERENCE_ORIGIN)
    wrote()


def test_get_nodes_reads_many_at_once(loaded: GraphStore) -> None:
    found = loaded.get_nodes(["org:edu", "psg:a1", "org:none", "doc:b", "org:edu"])
    assert sorted(found) == ["doc:b", "org:edu", "psg:a1"]
    for node_id, node in found.items():
        assert node == loaded.get_node(node_id)
    assert "embedding" not in found["psg:a1"].properties and "tokens" not in found["psg:a1"].properties
    assert loaded.get_nodes([]) == {}
    assert loaded.get_nodes(["org:none"]) == {}


def test_get_document(loaded: GraphStore) -> None:
    assert loaded.get_document("doc:b") == Document(
        id="doc:b", title="职业院校办学能力提升方案", issuers=["湖南省教育厅"], source="b.txt", sha256="sha-b"
    )
    assert loaded.get_document("doc:a") == loaded.get_document_by_sha("sha-a")
    assert loaded.get_document("org:edu") is None  # a node, not a document
    assert loaded.get_document("doc:none") is None


def test_replace_origin_swaps_what_the_origin_brought(loaded: GraphStore) -> None:
    city = Entity(id="reg:cs", label="Region", name="长沙市")
    loaded.replace_origin([city], [Relation(source="org:hngy", target="reg:cs", type="LOCATED_IN")], REFERENCE_ORIGIN)
    assert loaded.get_node("reg:hn") is None  # only the old set had it
    assert [(e.source, e.target) for e in loaded.edges_of("org:hngy", ["LOCATED_IN"])] == [("org:hngy", "reg:cs")]
    assert loaded.edges_of("org:edu", ["LOCATED_IN"]) == []
    hngy = loaded.get_node("org:hngy")  # brought by doc:a, and now an end of the new relation
    assert hngy is not None and hngy.origins == sorted(["doc:a", REFERENCE_ORIGIN])
    edu = loaded.get_node("org:edu")
    assert edu is not None and edu.origins == ["doc:a", "doc:b"]


def test_replace_origin_with_the_same_set_changes_nothing(loaded: GraphStore) -> None:
    before = loaded.export_json()
    entities, relations = reference()
    loaded.replace_origin(entities, relations, REFERENCE_ORIGIN)
    loaded.replace_origin(entities, relations, REFERENCE_ORIGIN)
    assert loaded.export_json() == before
    loaded.replace_origin([], [], "reference:none")  # an unknown origin: nothing to drop, nothing to add
    assert loaded.export_json() == before


def test_replace_origin_readers_never_see_the_set_missing(loaded: GraphStore) -> None:
    """Readers in another thread see the old set or the new one while it is replaced, never neither."""
    entities, relations = reference()
    variants = [
        (entities, relations),
        ([*entities, Entity(id="reg:cs", label="Region", name="长沙市")], relations),
    ]
    missing: list[int] = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            if loaded.get_node("reg:hn") is None or not loaded.edges_of("reg:hn", ["LOCATED_IN"]):
                missing.append(1)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for i in range(20):
            loaded.replace_origin(*variants[i % 2], REFERENCE_ORIGIN)
    finally:
        done.set()
        reader.join()
    assert not missing


# -- entities ----------------------------------------------------------------------------------
def test_find_entities_exact_name_first(loaded: GraphStore) -> None:
    found = loaded.find_entities("楚怡高水平高职院校")
    assert [n.id for n in found] == ["prog:school", "tgt:50"]


def test_find_entities_by_alias(loaded: GraphStore) -> None:
    assert [n.id for n in loaded.find_entities("省教育厅")] == ["org:edu"]
    assert [n.id for n in loaded.find_entities("财政")] == ["org:fin"]


def test_find_entities_containment_orders_short_names_first(loaded: GraphStore) -> None:
    found = loaded.find_entities("楚怡")
    assert [n.id for n in found] == ["prog:base", "prog:school", "tgt:50"]
    assert [n.id for n in loaded.find_entities("楚怡", limit=2)] == ["prog:base", "prog:school"]


def test_find_entities_label_filter_and_entity_labels_only(loaded: GraphStore) -> None:
    assert [n.id for n in loaded.find_entities("楚怡", label="Target")] == ["tgt:50"]
    assert loaded.find_entities("楚怡行动计划") == []  # a Document title, not an entity
    assert loaded.find_entities("楚怡", label="Document") == []


def test_find_entities_empty_query_lists_entities(loaded: GraphStore) -> None:
    assert [n.id for n in loaded.find_entities("", label="Organization")] == ["org:edu", "org:fin", "org:hngy"]


# -- edges, neighbours, paths ------------------------------------------------------------------
def test_edges_of_directions_and_types(loaded: GraphStore) -> None:
    out = loaded.edges_of("prog:school", direction="out")
    assert [(e.type, e.target) for e in out] == [("ASSIGNED_TO", "org:hngy"), ("PART_OF", "org:edu")]
    inc = loaded.edges_of("prog:school", direction="in")
    assert [(e.type, e.source) for e in inc] == [("MENTIONS", "psg:a3")]
    assert len(loaded.edges_of("prog:school")) == 3
    (part_of,) = loaded.edges_of("prog:school", ["PART_OF"])
    assert part_of.evidence == ["psg:a3", "psg:b1"] and sorted(part_of.origins) == ["doc:a", "doc:b"]


def test_edges_of_many_is_edges_of_for_each_node(loaded: GraphStore) -> None:
    node_ids = ["prog:school", "org:edu", "org:none", "doc:b", "prog:school", "reg:hn"]
    known = [i for i in dict.fromkeys(node_ids) if loaded.get_node(i) is not None]
    for direction in ("out", "in", "both"):
        for types in (None, ["PART_OF"], ["ISSUED_BY", "MENTIONS"]):
            many = loaded.edges_of_many(node_ids, types, direction)  # type: ignore[arg-type]
            assert sorted(many) == sorted(known), "unknown ids are left out, known ones kept even without edges"
            for node_id in known:
                assert many[node_id] == loaded.edges_of(node_id, types, direction)  # type: ignore[arg-type]
    assert loaded.edges_of_many([]) == {}
    assert loaded.edges_of_many(["org:none"]) == {}
    between = loaded.edges_of_many(["prog:school", "org:edu"], ["PART_OF"], "both")
    assert between["prog:school"] == between["org:edu"] != []  # one relationship, listed at both ends


def test_neighbors_depth_one(loaded: GraphStore) -> None:
    sub = loaded.neighbors("prog:school")
    assert [n.id for n in sub.nodes] == ["prog:school", "org:edu", "org:hngy", "psg:a3"]
    assert sorted((e.source, e.type, e.target) for e in sub.edges) == [
        ("prog:school", "ASSIGNED_TO", "org:hngy"),
        ("prog:school", "PART_OF", "org:edu"),
        ("psg:a3", "MENTIONS", "prog:school"),
    ]


def test_neighbors_depth_two_with_filters(loaded: GraphStore) -> None:
    sub = loaded.neighbors("prog:school", depth=2, labels=["Organization", "Region"])
    assert [n.id for n in sub.nodes] == ["prog:school", "org:edu", "org:hngy", "reg:hn"]
    assert {e.type for e in sub.edges} == {"ASSIGNED_TO", "PART_OF", "LOCATED_IN"}
    typed = loaded.neighbors("prog:school", depth=3, rel_types=["PART_OF", "ISSUED_BY"])
    assert [n.id for n in typed.nodes] == ["prog:school", "org:edu", "doc:a", "doc:b", "org:fin"]


def test_neighbors_limit(loaded: GraphStore) -> None:
    sub = loaded.neighbors("org:edu", depth=2, limit=3)
    assert [n.id for n in sub.nodes] == ["org:edu", "doc:a", "doc:b", "prog:school"]
    assert loaded.neighbors("org:edu", depth=0).nodes[0].id == "org:edu"


def test_paths_shortest_first_ignoring_direction(loaded: GraphStore) -> None:
    paths = loaded.paths("org:hngy", "org:edu", max_hops=4)
    assert [[n.id for n in p.nodes] for p in paths] == [
        ["org:hngy", "prog:school", "org:edu"],
        ["org:hngy", "reg:hn", "org:edu"],
        ["org:hngy", "prog:school", "psg:a3", "doc:a", "org:edu"],
    ]
    assert [(e.source, e.type, e.target) for e in paths[0].edges] == [
        ("prog:school", "ASSIGNED_TO", "org:hngy"),
        ("prog:school", "PART_OF", "org:edu"),
    ]
    assert paths[0].nodes[1].properties["name"] == "楚怡高水平高职院校"
    assert len(loaded.paths("org:hngy", "org:edu", max_hops=3)) == 2


def test_paths_hop_limit_and_count_limit(loaded: GraphStore) -> None:
    assert loaded.paths("org:hngy", "org:fin", max_hops=2) == []
    three = loaded.paths("org:hngy", "org:fin", max_hops=4, limit=2)
    assert [[n.id for n in p.nodes] for p in three] == [
        ["org:hngy", "prog:school", "org:edu", "doc:a", "org:fin"],
        ["org:hngy", "prog:school", "psg:a3", "doc:a", "org:fin"],
    ]


def test_paths_to_itself_and_unconnected(store: GraphStore) -> None:
    store.upsert_entities(
        [Entity(id="reg:a", label="Region", name="甲"), Entity(id="reg:b", label="Region", name="乙")], [], "r"
    )
    assert store.paths("reg:a", "reg:b") == []
    (only,) = store.paths("reg:a", "reg:a")
    assert [n.id for n in only.nodes] == ["reg:a"] and only.edges == []


# -- search ------------------------------------------------------------------------------------
def test_vector_search_ranks_by_cosine(loaded: GraphStore) -> None:
    hits = loaded.vector_search(vec((0, 1.0), (4, 0.3)), 3)
    assert ids(hits) == ["psg:a1", "psg:b1", "psg:a2"]
    assert hits[0].score == pytest.approx(0.9578, abs=1e-3)
    assert hits[1].score == pytest.approx(0.8048, abs=1e-3)
    assert [h.rank for h in hits] == [1, 2, 3]
    assert hits[0].document_title == "湖南省职业教育楚怡行动计划"
    assert hits[0].passage.section_path == "一" and hits[0].passage.embedding is None


def test_vector_search_k_larger_than_store(loaded: GraphStore) -> None:
    assert len(loaded.vector_search(vec((3, 1.0)), 50)) == 5
    assert loaded.vector_search(vec((3, 1.0)), 0) == []


def test_keyword_search_whole_words(loaded: GraphStore) -> None:
    hits = loaded.keyword_search(tokenize("住房医疗"), 5)
    assert ids(hits) == ["psg:a4"]
    assert loaded.keyword_search(tokenize("量子计算"), 5) == []
    assert loaded.keyword_search([], 5) == []


def test_keyword_search_matches_parts_of_entity_names(loaded: GraphStore) -> None:
    assert set(ids(loaded.keyword_search(tokenize("楚怡"), 10))) == {"psg:a1", "psg:a2", "psg:a3", "psg:a4"}
    assert set(ids(loaded.keyword_search(["教育厅"], 10))) == {"psg:a1", "psg:b1"}
    assert ids(loaded.keyword_search(tokenize("高职院校"), 10))[:2] in (["psg:a3", "psg:a4"], ["psg:a4", "psg:a3"])


def test_keyword_search_ignores_repeated_tokens(loaded: GraphStore) -> None:
    once = loaded.keyword_search(["技工", "院校"], 5)
    twice = loaded.keyword_search(["技工", "技工", "院校"], 5)
    assert [(h.passage.id, round(h.score, 5)) for h in once] == [(h.passage.id, round(h.score, 5)) for h in twice]
    assert ids(once)[0] == "psg:b1"


def test_filter_by_document_and_section(loaded: GraphStore) -> None:
    query = vec((0, 1.0), (4, 0.3))
    assert ids(loaded.vector_search(query, 5, SearchFilters(doc_ids=["doc:b"]))) == ["psg:b1"]
    hits = loaded.vector_search(query, 5, SearchFilters(section_prefix="二/（一）"))
    assert sorted(ids(hits)) == ["psg:a3", "psg:a4"]
    hits = loaded.keyword_search(tokenize("楚怡"), 5, SearchFilters(section_prefix="二/（一）/2"))
    assert ids(hits) == ["psg:a4"]


def test_filter_by_issuer_name_alias_and_id(loaded: GraphStore) -> None:
    query = vec((0, 1.0), (4, 0.3))
    by_name = loaded.vector_search(query, 10, SearchFilters(issuers=["湖南省财政厅"]))
    assert sorted(ids(by_name)) == ["psg:a1", "psg:a2", "psg:a3", "psg:a4"]
    by_alias = loaded.keyword_search(tokenize("财政厅"), 10, SearchFilters(issuers=["省财政厅"]))
    assert ids(by_alias) == ["psg:a1"]
    by_id = loaded.vector_search(query, 10, SearchFilters(issuers=["org:edu"]))
    assert sorted(ids(by_id)) == ["psg:a1", "psg:a2", "psg:a3", "psg:a4", "psg:b1"]
    assert loaded.vector_search(query, 10, SearchFilters(issuers=["教育部"])) == []


def test_filter_by_entity(loaded: GraphStore) -> None:
    query = vec((2, 1.0))
    assert ids(loaded.vector_search(query, 10, SearchFilters(entity_ids=["prog:school"]))) == ["psg:a3", "psg:b1"]
    assert ids(loaded.vector_search(query, 10, SearchFilters(entity_ids=["tgt:50"]))) == ["psg:a4"]
    assert loaded.keyword_search(tokenize("楚怡"), 10, SearchFilters(entity_ids=["reg:hn"])) == []


def test_filters_combine_with_and(loaded: GraphStore) -> None:
    both = SearchFilters(entity_ids=["prog:school"], doc_ids=["doc:a"])
    assert ids(loaded.vector_search(vec((2, 1.0)), 10, both)) == ["psg:a3"]
    assert ids(loaded.keyword_search(tokenize("楚怡 院校"), 10, both)) == ["psg:a3"]
    assert loaded.vector_search(vec((2, 1.0)), 10, SearchFilters(doc_ids=["doc:b"], section_prefix="二")) == []


# -- export ------------------------------------------------------------------------------------
def test_export_json_round_trip(loaded: GraphStore) -> None:
    sub = loaded.export_json()
    assert len(sub.nodes) == 16 and len(sub.edges) == 17
    assert [n.id for n in sub.nodes] == sorted(n.id for n in sub.nodes)
    assert Subgraph.model_validate_json(sub.model_dump_json()) == sub
    text = sub.model_dump_json()
    assert "embedding" not in text and "tokens" not in text


def test_export_json_by_label(loaded: GraphStore) -> None:
    sub = loaded.export_json(labels=["Organization", "Programme", "Region"])
    assert [n.id for n in sub.nodes] == ["org:edu", "org:fin", "org:hngy", "prog:base", "prog:school", "reg:hn"]
    assert [(e.source, e.type, e.target) for e in sub.edges] == [
        ("org:edu", "LOCATED_IN", "reg:hn"),
        ("org:hngy", "LOCATED_IN", "reg:hn"),
        ("prog:school", "ASSIGNED_TO", "org:hngy"),
        ("prog:school", "PART_OF", "org:edu"),
    ]


def test_export_graphml_readable_by_networkx(loaded: GraphStore) -> None:
    g = nx.parse_graphml(loaded.export_graphml(), force_multigraph=True)
    assert g.number_of_nodes() == 16 and g.number_of_edges() == 17
    assert g.nodes["org:edu"]["name"] == "湖南省教育厅"
    assert json.loads(g.nodes["org:edu"]["aliases"]) == ["省教育厅"]
    assert g.nodes["tgt:50"]["quantity"] == 50
    assert g.nodes["psg:a4"]["text"].startswith("到2025年")
    edges = g.get_edge_data("prog:school", "org:edu")
    (attrs,) = edges.values()
    assert attrs["type"] == "PART_OF" and json.loads(attrs["evidence"]) == ["psg:a3", "psg:b1"]


# -- odd characters ----------------------------------------------------------------------------
def test_odd_characters_survive_everything(store: GraphStore) -> None:
    odd_id = 'org:"odd\\id 🎓'
    entity = Entity(id=odd_id, label="Organization", name=f"楚怡{ODD}", properties={"aliases": [ODD], "note": ODD})
    doc = Document(id="doc:odd", title=ODD, source="odd.txt", sha256="sha-odd", issuers=[ODD])
    passage = Passage(
        id="psg:odd", doc_id="doc:odd", text=f"楚怡 {ODD}", order=0, section_path=ODD, embedding=vec((7, 1.0))
    )
    rel = Relation(source="doc:odd", target=odd_id, type="ISSUED_BY", evidence="psg:odd", properties={"why": ODD})
    store.upsert_document(DocumentBundle(document=doc, passages=[passage], entities=[entity], relations=[rel]))
    node = store.get_node(odd_id)
    assert node is not None and node.properties["note"] == ODD and node.properties["aliases"] == [ODD]
    assert [n.id for n in store.find_entities(ODD)] == [odd_id]
    assert store.list_documents()[0].title == ODD
    (hit,) = store.vector_search(vec((7, 1.0)), 1, SearchFilters(section_prefix=ODD, issuers=[ODD]))
    assert hit.passage.text == f"楚怡 {ODD}" and hit.document_title == ODD
    assert ids(store.keyword_search(tokenize(ODD), 1)) == ["psg:odd"]
    (edge,) = store.edges_of(odd_id)
    assert edge.properties == {"why": ODD}
    g = nx.parse_graphml(store.export_graphml())
    assert g.nodes[odd_id]["note"] == ODD
    assert g.nodes["doc:odd"]["title"] == ODD


# -- Cypher ------------------------------------------------------------------------------------
REFUSED = [
    "CREATE (n:Node {id: 'x'})",
    "MATCH (n) DETACH DELETE n",
    "match (n:Organization) set n.name = 'x' return n",
    "MATCH (n) REMOVE n.name",
    "MERGE (n:Node {id: 'x'}) RETURN n",
    "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "CALL db.create.setNodeVectorProperty(n, 'embedding', [1.0])",
    "CALL dbms.security.createUser('eve', 'pw', false)",
    "CALL apoc.periodic.iterate('MATCH (n) RETURN n', 'DELETE n', {})",
    "DROP INDEX passage_tokens",
    "GRANT ROLE admin TO eve",
    "MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS RETURN count(*)",
    "MATCH (n) FOREACH (x IN [1] | SET n.x = x)",
    "MATCH (n) /* harmless? */ SET n.x = 1",
]


def test_cypher_read_on_each_store(loaded: GraphStore) -> None:
    query = "MATCH (o:Organization) WHERE o.name CONTAINS $q RETURN o, o.name AS name ORDER BY o.id"
    if loaded.name == "embedded":
        with pytest.raises(NotSupported):
            loaded.cypher_read(query, {"q": "教育"})
        return
    rows = loaded.cypher_read(query, {"q": "厅"})
    assert [r["name"] for r in rows] == ["湖南省教育厅", "湖南省财政厅"]
    assert rows[0]["o"]["id"] == "org:edu" and rows[0]["o"]["label"] == "Organization"
    assert "embedding" not in json.dumps(loaded.cypher_read("MATCH (p:Passage) RETURN p LIMIT 1", {}))


@pytest.mark.parametrize("query", REFUSED)
def test_cypher_read_refuses_writes(loaded: GraphStore, query: str) -> None:
    before = loaded.stats()
    with pytest.raises(NotSupported if loaded.name == "embedded" else QueryRefused):
        loaded.cypher_read(query, {})
    assert loaded.stats() == before
