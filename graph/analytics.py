"""Graph analytics for researchers: who is central, which entities cluster together.

Runs networkx over the entity graph read through the store protocol (export_json), so it works the
same on both backends; on Neo4j only the needed labels are read. Entities are linked by their
relationships and, optionally, by being mentioned in the same passage (co-mention), which is how
most links appear in policy text.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from typing import Literal

import networkx as nx
from pydantic import BaseModel, Field

from graph.models import ENTITY_LABELS, Subgraph
from graph.store import GraphStore
from graph.views import name_of

CommunityMethod = Literal["louvain", "greedy"]


class AnalysedEntity(BaseModel):
    """An entity of the analysed graph, as centrality scores and communities list it."""

    id: str
    label: str
    name: str


class CentralityScore(BaseModel):
    entity: AnalysedEntity
    degree: int  # distinct neighbours in the analysed graph
    degree_centrality: float  # degree / (n - 1)
    pagerank: float


class Community(BaseModel):
    id: int  # 0 is the largest community
    size: int
    members: list[AnalysedEntity]  # by PageRank, highest first


class GraphAnalytics(BaseModel):
    nodes: int
    edges: int
    labels: list[str]
    co_mentions: bool
    method: CommunityMethod
    modularity: float | None = None  # None when there is no edge to judge a partition by
    centrality: list[CentralityScore] = Field(default_factory=list)  # by PageRank, highest first
    communities: list[Community] = Field(default_factory=list)


def entity_graph(sub: Subgraph, labels: list[str], co_mentions: bool) -> nx.Graph:
    """An undirected weighted graph over the nodes with one of `labels`: each relationship between two
    of them adds 1 to the link's weight, and so does each passage that mentions both (co_mentions)."""
    g = nx.Graph()
    wanted = set(labels)
    for node in sub.nodes:
        if node.label in wanted:
            g.add_node(node.id, label=node.label, name=name_of(node) or node.id)
    weights: dict[tuple[str, str], int] = defaultdict(int)
    mentioned: dict[str, set[str]] = defaultdict(set)
    for edge in sub.edges:
        if edge.source in g and edge.target in g and edge.source != edge.target:
            a, b = sorted((edge.source, edge.target))
            weights[(a, b)] += 1
        elif co_mentions and edge.type == "MENTIONS" and edge.target in g:
            mentioned[edge.source].add(edge.target)
    for entities in mentioned.values():
        for a, b in itertools.combinations(sorted(entities), 2):
            weights[(a, b)] += 1
    for (a, b), w in sorted(weights.items()):
        g.add_edge(a, b, weight=w)
    return g


def analyse(
    store: GraphStore,
    labels: list[str] | None = None,
    co_mentions: bool = True,
    method: CommunityMethod = "louvain",
    top: int | None = 50,
    seed: int = 42,
) -> GraphAnalytics:
    """Degree and PageRank centrality and communities over the entity graph (or the given labels)."""
    chosen = sorted(labels or ENTITY_LABELS)
    read = [*chosen, "Passage"] if co_mentions and "Passage" not in chosen else chosen
    sub = store.export_json(labels=read)
    return analyse_graph(entity_graph(sub, chosen, co_mentions), chosen, co_mentions, method, top, seed)


def analyse_graph(
    g: nx.Graph,
    labels: list[str],
    co_mentions: bool,
    method: CommunityMethod = "louvain",
    top: int | None = 50,
    seed: int = 42,
) -> GraphAnalytics:
    result = GraphAnalytics(
        nodes=g.number_of_nodes(), edges=g.number_of_edges(), labels=labels, co_mentions=co_mentions, method=method
    )
    if g.number_of_nodes() == 0:
        return result
    refs = {n: AnalysedEntity(id=n, label=a["label"], name=a["name"]) for n, a in g.nodes(data=True)}
    pagerank = nx.pagerank(g, weight="weight")
    degree_c = nx.degree_centrality(g)
    by_rank = sorted(g.nodes, key=lambda n: (-round(pagerank[n], 12), n))
    result.centrality = [
        CentralityScore(entity=refs[n], degree=g.degree(n), degree_centrality=degree_c[n], pagerank=pagerank[n])
        for n in by_rank[:top]
    ]
    if g.number_of_edges() == 0:
        return result
    if method == "louvain":
        parts = nx.community.louvain_communities(g, weight="weight", seed=seed)
    else:
        parts = list(nx.community.greedy_modularity_communities(g, weight="weight"))
    result.modularity = nx.community.modularity(g, parts, weight="weight")
    rank = {n: i for i, n in enumerate(by_rank)}
    ordered = sorted((sorted(p, key=rank.__getitem__) for p in parts), key=lambda m: (-len(m), rank[m[0]]))
    result.communities = [
        Community(id=i, size=len(members), members=[refs[n] for n in members]) for i, members in enumerate(ordered)
    ]
    return result
