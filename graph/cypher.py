"""Every Cypher statement the project sends. Always parameterised.

Labels and relationship types cannot be parameters in Cypher, so the statements that need them are
built here from the closed sets in graph.models (never from user input).
"""

from __future__ import annotations

from typing import get_args

from graph.models import NodeLabel, RelType

VECTOR_INDEX = "passage_embedding"
FULLTEXT_INDEX = "passage_tokens"
EMBEDDING_DIM = 512

NODE_LABELS: tuple[str, ...] = get_args(NodeLabel)
REL_TYPES: tuple[str, ...] = get_args(RelType)

SCHEMA: list[str] = [
    "CREATE CONSTRAINT node_id IF NOT EXISTS FOR (n:Node) REQUIRE n.id IS UNIQUE",
    *[
        f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
        for label in NODE_LABELS
    ],
    "CREATE INDEX document_sha IF NOT EXISTS FOR (d:Document) ON (d.sha256)",
    f"CREATE VECTOR INDEX {VECTOR_INDEX} IF NOT EXISTS FOR (p:Passage) ON p.embedding "
    f"OPTIONS {{indexConfig: {{`vector.dimensions`: {EMBEDDING_DIM}, `vector.similarity_function`: 'cosine'}}}}",
    # Text is pre-segmented by jieba into space-separated tokens, so a whitespace analyzer keeps
    # Chinese words whole (the standard analyzer would cut them into single characters).
    f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} IF NOT EXISTS FOR (p:Passage) ON EACH [p.tokens] "
    "OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace'}}",
]
AWAIT_INDEXES = "CALL db.awaitIndexes(300)"

PING = "RETURN 1 AS ok"

# A document's origin is removed from every node and relationship; what is left without one goes.
RELEASE_RELATIONSHIPS = """
MATCH ()-[r]->() WHERE $doc_id IN r.origins
SET r.origins = [o IN r.origins WHERE o <> $doc_id]
WITH r WHERE size(r.origins) = 0
DELETE r
"""
RELEASE_NODES = """
MATCH (n:Node) WHERE $doc_id IN n.origins
SET n.origins = [o IN n.origins WHERE o <> $doc_id]
WITH n WHERE size(n.origins) = 0
DETACH DELETE n
"""
DOCUMENT_EXISTS = "MATCH (d:Document {id: $doc_id}) RETURN count(d) AS n"


def merge_nodes(label: str) -> str:
    if label not in NODE_LABELS:
        raise ValueError(f"unknown label {label!r}")
    return f"""
UNWIND $rows AS row
MERGE (n:Node {{id: row.id}})
ON CREATE SET n.origins = [$origin]
ON MATCH SET n.origins = CASE WHEN $origin IN n.origins THEN n.origins ELSE n.origins + $origin END
SET n:{label}
SET n += row.props
"""


def merge_relationships(rel_type: str) -> str:
    if rel_type not in REL_TYPES:
        raise ValueError(f"unknown relationship type {rel_type!r}")
    return f"""
UNWIND $rows AS row
MATCH (a:Node {{id: row.source}}), (b:Node {{id: row.target}})
MERGE (a)-[r:{rel_type}]->(b)
ON CREATE SET r.origins = [$origin], r.evidence = []
ON MATCH SET r.origins = CASE WHEN $origin IN r.origins THEN r.origins ELSE r.origins + $origin END
SET r += row.props
SET r.evidence = CASE
  WHEN row.evidence IS NULL OR row.evidence IN r.evidence THEN r.evidence
  ELSE r.evidence + row.evidence END
"""


SET_EMBEDDINGS = """
UNWIND $rows AS row
MATCH (p:Passage {id: row.id})
CALL db.create.setNodeVectorProperty(p, 'embedding', row.embedding)
"""

LIST_DOCUMENTS = "MATCH (d:Document) RETURN d ORDER BY d.title"
DOCUMENT_BY_SHA = "MATCH (d:Document {sha256: $sha256}) RETURN d LIMIT 1"
GET_NODE = "MATCH (n:Node {id: $id}) RETURN n, [l IN labels(n) WHERE l <> 'Node'][0] AS label"

_PASSAGE_RETURN = """
WITH node, score
WHERE $doc_ids IS NULL OR node.doc_id IN $doc_ids
OPTIONAL MATCH (d:Document {id: node.doc_id})
RETURN node {.id, .doc_id, .section_id, .section_path, .text, .order} AS passage, score, d.title AS title
ORDER BY score DESC, node.id ASC
LIMIT $k
"""
VECTOR_SEARCH = (
    f"CALL db.index.vector.queryNodes('{VECTOR_INDEX}', $fetch, $embedding) YIELD node, score" + _PASSAGE_RETURN
)
KEYWORD_SEARCH = (
    f"CALL db.index.fulltext.queryNodes('{FULLTEXT_INDEX}', $query, {{limit: $fetch}}) YIELD node, score"
    + _PASSAGE_RETURN
)
PASSAGE_COUNT = "MATCH (p:Passage) RETURN count(p) AS n"

NODE_COUNTS = """
MATCH (n:Node)
RETURN [l IN labels(n) WHERE l <> 'Node'][0] AS label, count(*) AS n
"""
REL_COUNTS = "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n"
