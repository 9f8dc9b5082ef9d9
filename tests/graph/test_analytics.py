"""Centrality and communities over a known graph, on both stores."""

from __future__ import annotations

import itertools

import pytest

from graph.analytics import analyse
from graph.models import Document, DocumentBundle, Entity, Passage, Relation
from graph.store import GraphStore
from tests.graph.conftest import load_known_graph

SCHOOLS = [f"org:s{i}" for i in range(4)]
FIRMS = [f"org:f{i}" for i in range(4)]


def two_clusters(store: GraphStore) -> None:
    """Two groups of four, all linked within a group, joined by one bridge s0 - f0."""
    entities = [Entity(id=i, label="Organization", name=f"学校{i[-1]}") for i in SCHOOLS]
    entities += [Entity(id=i, label="Organization", name=f"企业{i[-1]}") for i in FIRMS]
    relations = [
        Relation(source=a, target=b, type="PART_OF")
        for group in (SCHOOLS, FIRMS)
        for a, b in itertools.combinations(group, 2)
    ]
    relations.append(Relation(source="org:s0", target="org:f0", type="OFFERS"))
    store.upsert_entities(entities, relations, "reference:test")


def test_centrality_finds_the_bridge_ends(store: GraphStore) -> None:
    two_clusters(store)
    result = analyse(store, co_mentions=False)
    assert (result.nodes, result.edges) == (8, 13)
    top_two = {c.entity.id for c in result.centrality[:2]}
    assert top_two == {"org:s0", "org:f0"}
    first = result.centrality[0]
    assert first.degree == 4 and first.degree_centrality == pytest.approx(4 / 7)
    assert sum(c.pagerank for c in result.centrality) == pytest.approx(1.0)
    assert result.centrality[-1].degree == 3


@pytest.mark.parametrize("method", ["louvain", "greedy"])
def test_communities_split_at_the_bridge(store: GraphStore, method: str) -> None:
    two_clusters(store)
    result = analyse(store, co_mentions=False, method=method)  # type: ignore[arg-type]
    groups = sorted(sorted(m.id for m in c.members) for c in result.communities)
    assert groups == [sorted(FIRMS), sorted(SCHOOLS)]
    assert [c.size for c in result.communities] == [4, 4]
    assert result.modularity is not None and result.modularity > 0.3
    assert result.communities[0].members[0].id in ("org:s0", "org:f0")  # members by PageRank


def test_co_mentions_link_entities_in_one_passage(store: GraphStore) -> None:
    doc = Document(id="doc:c", title="共现", source="c.txt", sha256="sha-c")
    passage = Passage(id="psg:c", doc_id="doc:c", text="湖南省教育厅与湖南省财政厅联合支持", order=0)
    edu = Entity(id="org:edu", label="Organization", name="湖南省教育厅")
    fin = Entity(id="org:fin", label="Organization", name="湖南省财政厅")
    mentions = [Relation(source="psg:c", target=e, type="MENTIONS", evidence="psg:c") for e in ("org:edu", "org:fin")]
    store.upsert_document(DocumentBundle(document=doc, passages=[passage], entities=[edu, fin], relations=mentions))
    assert analyse(store, co_mentions=False).edges == 0
    linked = analyse(store, co_mentions=True)
    assert (linked.nodes, linked.edges) == (2, 1)
    assert [len(c.members) for c in linked.communities] == [2]


def test_empty_store_and_label_choice(store: GraphStore) -> None:
    empty = analyse(store)
    assert (empty.nodes, empty.edges, empty.centrality, empty.communities) == (0, 0, [], [])
    load_known_graph(store)
    programmes = analyse(store, labels=["Programme"], co_mentions=False)
    assert {c.entity.id for c in programmes.centrality} == {"prog:base", "prog:school"}
    assert programmes.modularity is None  # no edge between the two programmes


@pytest.mark.neo4j
def test_same_analytics_on_both(both_stores: tuple[GraphStore, GraphStore]) -> None:
    for s in both_stores:
        load_known_graph(s)
        two_clusters(s)
    embedded, neo4j = both_stores
    assert analyse(embedded) == analyse(neo4j)
