"""Every Cypher statement the project sends. Always parameterised.

Labels and relationship types cannot be parameters in Cypher, so the statements that need them are
built here from the closed sets in graph.models (never from user input).
"""

from __future__ import annotations

from typing import get_args

from graph.models import NodeLabel, RelType

VECTOR_INDEX = "passage_embedding"
FULLTEXT_INDEX = "passage_tokens"
# The raw passage text under Lucene's cjk analyzer (overlapping bigrams): for outside clients that send a
# plain Chinese query (neo4j-graphrag's HybridRetriever, LangChain's Neo4jVector hybrid). Our own ranking
# keeps FULLTEXT_INDEX, which ranks exactly as the embedded store. See docs/neo4j.md.
TEXT_INDEX = "passage_text"
# Every node's `origins` list, each origin one term (keyword analyzer): how a write finds what an origin
# brought without scanning every node. A list property cannot be range-indexed for membership in Neo4j 5;
# a full-text index over LIST<STRING> can, and it is transactional (a query sees its own transaction).
ORIGIN_INDEX = "node_origins"
EMBEDDING_DIM = 512
# The one :Meta node holds the store revision (graph.store.GraphStore.revision).
META_ID = "store"

NODE_LABELS: tuple[str, ...] = get_args(NodeLabel)
REL_TYPES: tuple[str, ...] = get_args(RelType)

# Every constraint and index the store needs, by name (the name an index or constraint has in SHOW INDEXES /
# SHOW CONSTRAINTS): graph.neo4j_schema creates the missing ones at start-up and again after a reconnect.
SCHEMA_STATEMENTS: dict[str, str] = {
    "node_id": "CREATE CONSTRAINT node_id IF NOT EXISTS FOR (n:Node) REQUIRE n.id IS UNIQUE",
    **{
        f"{label.lower()}_id": (
            f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
        )
        for label in NODE_LABELS
    },
    "document_sha": "CREATE INDEX document_sha IF NOT EXISTS FOR (d:Document) ON (d.sha256)",
    "document_work": "CREATE INDEX document_work IF NOT EXISTS FOR (d:Document) ON (d.work)",
    "document_text_sha": "CREATE INDEX document_text_sha IF NOT EXISTS FOR (d:Document) ON (d.text_sha256)",
    VECTOR_INDEX: f"CREATE VECTOR INDEX {VECTOR_INDEX} IF NOT EXISTS FOR (p:Passage) ON p.embedding "
    f"OPTIONS {{indexConfig: {{`vector.dimensions`: {EMBEDDING_DIM}, `vector.similarity_function`: 'cosine', "
    "`vector.quantization.enabled`: false}}",
    # Text is pre-segmented by jieba into space-separated tokens, so a whitespace analyzer keeps
    # Chinese words whole (the standard analyzer would cut them into single characters).
    # scripts/bench_fulltext.py measured this against the cjk analyzer over raw text.
    FULLTEXT_INDEX: f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} IF NOT EXISTS FOR (p:Passage) ON EACH [p.tokens] "
    "OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace'}}",
    TEXT_INDEX: f"CREATE FULLTEXT INDEX {TEXT_INDEX} IF NOT EXISTS FOR (p:Passage) ON EACH [p.text] "
    "OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}",
    ORIGIN_INDEX: f"CREATE FULLTEXT INDEX {ORIGIN_INDEX} IF NOT EXISTS FOR (n:Node) ON EACH [n.origins] "
    "OPTIONS {indexConfig: {`fulltext.analyzer`: 'keyword'}}",
    # Filtered searches select passages by document and section prefix (range indexes answer both).
    "passage_doc": "CREATE INDEX passage_doc IF NOT EXISTS FOR (p:Passage) ON (p.doc_id)",
    "passage_section_path": "CREATE INDEX passage_section_path IF NOT EXISTS FOR (p:Passage) ON (p.section_path)",
    "meta_id": "CREATE CONSTRAINT meta_id IF NOT EXISTS FOR (m:Meta) REQUIRE m.id IS UNIQUE",
}
UNIQUENESS_CONSTRAINTS: frozenset[str] = frozenset(
    name for name, statement in SCHEMA_STATEMENTS.items() if statement.startswith("CREATE CONSTRAINT")
)
# Index settings that CREATE ... IF NOT EXISTS would not change on an existing index: when they
# differ, the index is dropped and created again (quantised vectors would make scores approximate
# and differ from the embedded store's exact ones).
EXPECTED_INDEX_CONFIG: dict[str, dict[str, object]] = {
    VECTOR_INDEX: {
        "vector.dimensions": EMBEDDING_DIM,
        "vector.similarity_function": "COSINE",
        "vector.quantization.enabled": False,
    },
    FULLTEXT_INDEX: {"fulltext.analyzer": "whitespace"},
    TEXT_INDEX: {"fulltext.analyzer": "cjk"},
    ORIGIN_INDEX: {"fulltext.analyzer": "keyword"},
}
# What the database holds now: an index's state is ONLINE, POPULATING or FAILED (a failed one is made again).
SCHEMA_INDEXES = "SHOW INDEXES YIELD name, state, options RETURN name, state, options.indexConfig AS config"
SCHEMA_CONSTRAINTS = "SHOW CONSTRAINTS YIELD name RETURN name"


def drop_index(name: str) -> str:
    if name not in SCHEMA_STATEMENTS or name in UNIQUENESS_CONSTRAINTS:
        raise ValueError(f"not one of our indexes: {name!r}")
    return f"DROP INDEX {name} IF EXISTS"


AWAIT_INDEXES = "CALL db.awaitIndexes(300)"

PING = "RETURN 1 AS ok"

# Releasing an origin, as one statement: the nodes carrying it come from ORIGIN_INDEX ($origin_query is
# the origin as one Lucene term, graph.neo4j_store.origin_term), and only their OUTGOING relationships
# are read: a relationship's origins are always on both its ends (merge_relationships), so its start node
# is among them, and out-degrees stay small where in-degrees do not (every document's passages MENTION
# 湖南省教育厅). Evidence citing a passage that goes is dropped.
# The index is read before anything changes: once a transaction has deleted a node's relationships, a
# full-text query in that transaction no longer returns the node (measured on 5.26), so the release must
# come before any other change to :Node in its transaction.
ORIGIN_EXISTS = f"""
CALL db.index.fulltext.queryNodes('{ORIGIN_INDEX}', $origin_query) YIELD node
WITH node WHERE $origin IN node.origins
RETURN count(node) AS n
"""
# $keep_nodes / $keep_rels ("source|TYPE|target"): what a replace_origin writes again keeps the origin
# through the release, so that concurrent readers never see it deleted and created anew (at read committed
# they would see the deleted node, property-less, between the two).
RELEASE_ORIGIN = f"""
CALL db.index.fulltext.queryNodes('{ORIGIN_INDEX}', $origin_query) YIELD node
WITH node AS n WHERE $origin IN n.origins
WITH collect(n) AS owned
WITH owned, [x IN owned WHERE size(x.origins) = 1 AND NOT x.id IN $keep_nodes | x.id] AS doomed
CALL (owned, doomed) {{
  UNWIND owned AS n
  MATCH (n)-[r]->(m)
  WHERE $origin IN r.origins AND NOT (n.id + '|' + type(r) + '|' + m.id) IN $keep_rels
  SET r.origins = [o IN r.origins WHERE o <> $origin],
      r.evidence = [e IN r.evidence WHERE NOT e IN doomed]
  WITH r WHERE size(r.origins) = 0
  DELETE r
}}
UNWIND owned AS n
WITH n WHERE NOT n.id IN $keep_nodes
SET n.origins = [o IN n.origins WHERE o <> $origin]
WITH n WHERE size(n.origins) = 0
DETACH DELETE n
RETURN count(*) AS deleted
"""
# The release before ORIGIN_INDEX (a scan of every node's origins, then all their relationships), kept only
# so that scripts/profile_release.py can PROFILE the two side by side.
RELEASE_ORIGIN_BY_SCAN = """
MATCH (n:Node) WHERE $origin IN n.origins
WITH collect(n) AS owned
WITH owned, [x IN owned WHERE size(x.origins) = 1 | x.id] AS doomed
CALL (owned, doomed) {
  UNWIND owned AS n
  MATCH (n)-[r]-()
  WHERE $origin IN r.origins
  WITH DISTINCT r, doomed
  SET r.origins = [o IN r.origins WHERE o <> $origin],
      r.evidence = [e IN r.evidence WHERE NOT e IN doomed]
  WITH r WHERE size(r.origins) = 0
  DELETE r
}
UNWIND owned AS n
SET n.origins = [o IN n.origins WHERE o <> $origin]
WITH n WHERE size(n.origins) = 0
DETACH DELETE n
RETURN count(*) AS deleted
"""
# Inside every write transaction, first: the revision changes with each committed write, and taking the
# Meta node's lock first queues concurrent writers instead of letting them deadlock on shared entities.
BUMP_REVISION = """
MERGE (m:Meta {id: $meta_id})
SET m.revision = coalesce(m.revision, 0) + 1
RETURN m.revision AS revision
"""
# Duplicates: nodes sharing an id, which only a database without our uniqueness constraints can hold (one
# that came back empty and was written to before the schema was made again). graph.neo4j_schema merges them
# before it creates the constraints. A label scan, run only when a uniqueness constraint is missing.
DUPLICATE_NODE_IDS = """
MATCH (n:Node) WHERE n.id IS NOT NULL
WITH n.id AS id, count(*) AS copies WHERE copies > 1
RETURN id, copies ORDER BY id
"""
# The copies of each id, the keeper first: the one with the most relationships (it holds the most of the
# graph), then the lowest element id (stable between runs).
DUPLICATE_GROUPS = """
UNWIND $ids AS id
MATCH (n:Node {id: id})
WITH id, n ORDER BY COUNT { (n)--() } DESC, elementId(n)
WITH id, collect(elementId(n)) AS copies
RETURN id, copies[0] AS keeper, copies[1..] AS extras
"""
# Properties of the extra copies fill what the keeper lacks (the keeper's own values win); origins are the
# union; then the extras go, with the relationships the two statements below did not move.
MERGE_DUPLICATE_NODES = """
UNWIND $groups AS g
MATCH (k) WHERE elementId(k) = g.keeper
UNWIND g.extras AS extra
MATCH (x) WHERE elementId(x) = extra
WITH k, x, properties(k) AS kept
SET k += properties(x)
SET k += kept
SET k.origins = reduce(acc = coalesce(kept.origins, []), o IN coalesce(x.origins, []) |
                       CASE WHEN o IN acc THEN acc ELSE acc + o END)
DETACH DELETE x
"""
MERGE_DUPLICATE_META = """
MATCH (m:Meta {id: $meta_id})
WITH m ORDER BY coalesce(m.revision, 0) DESC, elementId(m)
WITH collect(m) AS copies
WITH copies[0] AS keeper, copies[1..] AS extras
FOREACH (x IN extras | DETACH DELETE x)
RETURN size(extras) AS removed
"""


def move_duplicate_relationships(rel_type: str, outgoing: bool) -> str:
    """Moves the `rel_type` relationships of the extra copies of each duplicated id onto its keeper, merged
    with one the keeper already has (their origins and evidence joined). Relationships among the copies of
    one id are dropped with the copies."""
    if rel_type not in REL_TYPES:
        raise ValueError(f"unknown relationship type {rel_type!r}")
    arrow = f"-[r:{rel_type}]->(m)" if outgoing else f"<-[r:{rel_type}]-(m)"
    merged = f"-[r2:{rel_type}]->(m)" if outgoing else f"<-[r2:{rel_type}]-(m)"
    return f"""
UNWIND $groups AS g
MATCH (k) WHERE elementId(k) = g.keeper
UNWIND g.extras AS extra
MATCH (x){arrow} WHERE elementId(x) = extra AND NOT elementId(m) IN g.extras AND elementId(m) <> g.keeper
MERGE (k){merged}
ON CREATE SET r2 = properties(r)
ON MATCH SET r2.origins = reduce(acc = coalesce(r2.origins, []), o IN coalesce(r.origins, []) |
                                 CASE WHEN o IN acc THEN acc ELSE acc + o END),
             r2.evidence = reduce(acc = coalesce(r2.evidence, []), e IN coalesce(r.evidence, []) |
                                  CASE WHEN e IN acc THEN acc ELSE acc + e END)
DELETE r
"""


REVISION = "OPTIONAL MATCH (m:Meta {id: $meta_id}) RETURN coalesce(m.revision, 0) AS revision"
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
    # The origin is recorded on both ends too: see RELEASE_ORIGIN.
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
SET a.origins = CASE WHEN $origin IN a.origins THEN a.origins ELSE a.origins + $origin END
SET b.origins = CASE WHEN $origin IN b.origins THEN b.origins ELSE b.origins + $origin END
"""


SET_EMBEDDINGS = """
UNWIND $rows AS row
MATCH (p:Passage {id: row.id})
CALL db.create.setNodeVectorProperty(p, 'embedding', row.embedding)
"""

LIST_DOCUMENTS = "MATCH (d:Document) RETURN d ORDER BY d.title"
DOCUMENT_BY_SHA = "MATCH (d:Document {sha256: $sha256}) RETURN d ORDER BY d.title, d.id LIMIT 1"
DOCUMENTS_OF_WORK = "MATCH (d:Document {work: $work}) RETURN d"
DOCUMENTS_WITH_TEXT = "MATCH (d:Document {text_sha256: $text_sha256}) RETURN d"
GET_DOCUMENT = "MATCH (d:Document {id: $doc_id}) RETURN d"
# Nodes come back without their embedding and search tokens: 512 floats a passage would dominate
# every graph read.
_NODE = "n {.*, embedding: null, tokens: null} AS n"
_LABEL = "[l IN labels(n) WHERE l <> 'Node'][0] AS label"
GET_NODE = f"MATCH (n:Node {{id: $id}}) RETURN {_NODE}, {_LABEL}"

# Cut to k before the documents' titles are looked up (for k rows, not for every candidate).
_PASSAGE_RETURN = """
WITH node, score
WHERE $allowed IS NULL OR node.id IN $allowed
WITH node, score
ORDER BY score DESC, node.id ASC
LIMIT $k
OPTIONAL MATCH (d:Document {id: node.doc_id})
RETURN node {.id, .doc_id, .section_id, .section_path, .text, .order} AS passage, score, d.title AS title
ORDER BY score DESC, passage.id ASC
"""
VECTOR_SEARCH = (
    f"CALL db.index.vector.queryNodes('{VECTOR_INDEX}', $fetch, $embedding) YIELD node, score" + _PASSAGE_RETURN
)
# Filtered dense search is exact over the allowed passages (the index would filter after retrieval).
VECTOR_SEARCH_EXACT = (
    """
MATCH (node:Passage) WHERE node.id IN $allowed AND node.embedding IS NOT NULL
WITH node, vector.similarity.cosine(node.embedding, $embedding) AS score
"""
    + _PASSAGE_RETURN
)
KEYWORD_SEARCH = (
    f"CALL db.index.fulltext.queryNodes('{FULLTEXT_INDEX}', $query, {{limit: $fetch}}) YIELD node, score"
    + _PASSAGE_RETURN
)
# An unfiltered search's ranked lists in one round trip (graph.neo4j_store.Neo4jStore.search_lists): the
# dense list as VECTOR_SEARCH ranks it (none when $embedding is null) and one keyword list per query of
# $queries as KEYWORD_SEARCH ranks it, each as [id, score] pairs; every passage they name comes back once,
# with its document's title, however many lists name it.
SEARCH_LISTS = f"""
CALL () {{
  WITH $embedding AS embedding WHERE embedding IS NOT NULL
  CALL db.index.vector.queryNodes('{VECTOR_INDEX}', $fetch, embedding) YIELD node, score
  WITH node, score
  ORDER BY score DESC, node.id ASC
  LIMIT $k
  RETURN collect({{node: node, score: score}}) AS dense
}}
CALL () {{
  UNWIND range(0, size($queries) - 1) AS i
  CALL (i) {{
    CALL db.index.fulltext.queryNodes('{FULLTEXT_INDEX}', $queries[i], {{limit: $take}}) YIELD node, score
    WITH node, score
    ORDER BY score DESC, node.id ASC
    LIMIT $k
    RETURN collect({{node: node, score: score}}) AS hits
  }}
  RETURN collect({{i: i, hits: hits}}) AS keyword
}}
CALL (dense, keyword) {{
  UNWIND dense + reduce(named = [], list IN keyword | named + list.hits) AS hit
  WITH DISTINCT hit.node AS node
  OPTIONAL MATCH (d:Document {{id: node.doc_id}})
  RETURN collect({{
    passage: node {{.id, .doc_id, .section_id, .section_path, .text, .order}}, title: d.title
  }}) AS passages
}}
RETURN [h IN dense | [h.node.id, h.score]] AS dense,
       [l IN keyword | {{i: l.i, hits: [h IN l.hits | [h.node.id, h.score]]}}] AS keyword,
       passages
"""
# A filtered keyword search reads the best $fetch matches and keeps the allowed ones (the procedure cannot
# filter); `floor` is the last score read, so the caller knows whether reading deeper could change the
# answer (graph.neo4j_store.Neo4jStore.keyword_search). At most $take kept rows come back, in Lucene order.
KEYWORD_SEARCH_FILTERED = f"""
CALL db.index.fulltext.queryNodes('{FULLTEXT_INDEX}', $query, {{limit: $fetch}}) YIELD node, score
WITH collect({{node: node, score: score}}) AS hits
WITH size(hits) AS fetched, hits[-1].score AS floor, [h IN hits WHERE h.node.id IN $allowed][..$take] AS kept
CALL (kept) {{
  UNWIND kept AS hit
  WITH hit.node AS node, hit.score AS score
  OPTIONAL MATCH (d:Document {{id: node.doc_id}})
  RETURN collect({{
    passage: node {{.id, .doc_id, .section_id, .section_path, .text, .order}}, score: score, title: d.title
  }}) AS rows
}}
RETURN fetched, floor, rows
"""

# Search filters, each answered as a set of passage ids through an index and intersected in Python (as the
# embedded store does): no filter reads every passage.
PASSAGES_OF_DOCUMENTS = "MATCH (p:Passage) WHERE p.doc_id IN $doc_ids RETURN p.id AS id"
PASSAGES_UNDER_SECTION = "MATCH (p:Passage) WHERE p.section_path STARTS WITH $section_prefix RETURN p.id AS id"
DOCUMENTS_ISSUED_BY = """
MATCH (d:Document)
WHERE any(i IN coalesce(d.issuers, []) WHERE i IN $issuers)
   OR EXISTS {
     MATCH (d)-[:ISSUED_BY]->(o:Node)
     WHERE o.id IN $issuers OR o.name IN $issuers
        OR any(a IN CASE WHEN o.aliases IS :: STRING THEN [o.aliases] ELSE coalesce(o.aliases, []) END
               WHERE a IN $issuers)
   }
RETURN d.id AS id
"""
# Evidence may name a passage that has gone since (a computed relation's): only passages that exist count.
PASSAGES_FOR_ENTITIES = """
MATCH (e:Node)-[r]-(other:Node)
WHERE e.id IN $entity_ids
UNWIND CASE WHEN other:Passage THEN r.evidence + other.id ELSE r.evidence END AS pid
WITH DISTINCT pid
MATCH (p:Passage {id: pid})
RETURN p.id AS id
"""

# Entities by name or alias. Ranked here so that LIMIT is right; graph.rules re-sorts identically.
FIND_ENTITIES = """
MATCH (n:Node)
WHERE any(l IN labels(n) WHERE l IN $labels)
WITH n, toLower(coalesce(n.name, '')) AS name,
     [a IN CASE WHEN n.aliases IS :: STRING THEN [n.aliases] ELSE coalesce(n.aliases, []) END | toLower(a)] AS aliases
WITH n, name, CASE
  WHEN name = $q OR $q IN aliases THEN 0
  WHEN name CONTAINS $q THEN 1
  WHEN any(a IN aliases WHERE a CONTAINS $q) THEN 2
  ELSE 3 END AS rank
WHERE rank < 3
RETURN n {.*, embedding: null, tokens: null} AS n, [l IN labels(n) WHERE l <> 'Node'][0] AS label
ORDER BY rank, size(name), n.id
LIMIT $limit
"""

_EDGE_RETURN = "startNode(r).id AS source, endNode(r).id AS target, type(r) AS type, properties(r) AS props"
_TYPES = "WHERE $types IS NULL OR type(r) IN $types"
EDGES_OUT = f"MATCH (n:Node {{id: $id}})-[r]->() {_TYPES} RETURN {_EDGE_RETURN}"
EDGES_IN = f"MATCH (n:Node {{id: $id}})<-[r]-() {_TYPES} RETURN {_EDGE_RETURN}"
EDGES_BOTH = f"MATCH (n:Node {{id: $id}})-[r]-() {_TYPES} RETURN DISTINCT {_EDGE_RETURN}"
# edges_of for many nodes at once: a row per (node, relationship), and one with a null type for a node
# that has none, so that known nodes without relationships come back too.
_AT_MANY = "UNWIND $ids AS at MATCH (n:Node {id: at}) OPTIONAL MATCH (n)"
EDGES_OUT_MANY = f"{_AT_MANY}-[r]->() {_TYPES} RETURN at, {_EDGE_RETURN}"
EDGES_IN_MANY = f"{_AT_MANY}<-[r]-() {_TYPES} RETURN at, {_EDGE_RETURN}"
EDGES_BOTH_MANY = f"{_AT_MANY}-[r]-() {_TYPES} RETURN DISTINCT at, {_EDGE_RETURN}"

# One breadth-first level of neighbours, the first $room by id (a hub has thousands); the Python side loops
# over levels.
NEIGHBOR_LEVEL = """
UNWIND $frontier AS fid
MATCH (a:Node {id: fid})-[r]-(b:Node)
WHERE ($types IS NULL OR type(r) IN $types)
  AND ($labels IS NULL OR any(l IN labels(b) WHERE l IN $labels))
  AND NOT b.id IN $seen
WITH DISTINCT b.id AS id
RETURN id ORDER BY id LIMIT $room
"""
NODES_BY_ID = f"MATCH (n:Node) WHERE n.id IN $ids RETURN {_NODE}, {_LABEL}"
EDGES_AMONG = f"""
MATCH (a:Node)-[r]->(b:Node)
WHERE a.id IN $ids AND b.id IN $ids AND ($types IS NULL OR type(r) IN $types)
RETURN {_EDGE_RETURN}
"""
EDGES_BETWEEN_PAIRS = f"""
UNWIND $pairs AS pair
MATCH (a:Node {{id: pair[0]}})-[r]-(b:Node {{id: pair[1]}})
RETURN DISTINCT {_EDGE_RETURN}
"""
MAX_PATH_HOPS = 10


def paths_of_length(hops: int) -> str:
    """Simple paths of exactly `hops` relationships, any direction. Variable-length bounds cannot be
    parameters, so the (validated) integer is written into the statement."""
    if not isinstance(hops, int) or not 1 <= hops <= MAX_PATH_HOPS:
        raise ValueError(f"hops must be an integer in 1..{MAX_PATH_HOPS}")
    return f"""
MATCH (a:Node {{id: $source}}), (b:Node {{id: $target}})
MATCH p = (a)-[*{hops}..{hops}]-(b)
WHERE all(x IN nodes(p) WHERE single(y IN nodes(p) WHERE y = x))
WITH DISTINCT [x IN nodes(p) | x.id] AS ids
RETURN ids ORDER BY ids LIMIT $limit
"""


EXPORT_NODES = """
MATCH (n:Node)
WITH n, [l IN labels(n) WHERE l <> 'Node'][0] AS label
WHERE $labels IS NULL OR label IN $labels
RETURN n {.*, embedding: null, tokens: null} AS n, label ORDER BY n.id
"""
EXPORT_EDGES = f"""
MATCH (a:Node)-[r]->(b:Node)
WHERE $labels IS NULL
   OR (any(l IN labels(a) WHERE l IN $labels) AND any(l IN labels(b) WHERE l IN $labels))
RETURN {_EDGE_RETURN}
ORDER BY source, type, target
"""
PASSAGE_COUNT = "MATCH (p:Passage) RETURN count(p) AS n"

# Counts from the count store, one label / type at a time. The name is added after count(): a grouping key
# (even a constant) would turn the count into a label scan.
NODE_COUNTS = "\nUNION ALL\n".join(
    f"MATCH (n:{label}) WITH count(n) AS n RETURN '{label}' AS label, n" for label in NODE_LABELS
)
REL_COUNTS = "\nUNION ALL\n".join(
    f"MATCH ()-[r:{rel_type}]->() WITH count(r) AS n RETURN '{rel_type}' AS type, n" for rel_type in REL_TYPES
)

# Used by scripts/bench_fulltext.py to compare the cjk analyzer over raw text (TEXT_INDEX) with ours.
CJK_SEARCH = f"""
CALL db.index.fulltext.queryNodes('{TEXT_INDEX}', $query, {{limit: $k}}) YIELD node, score
RETURN node.id AS id, node.text AS text, score
ORDER BY score DESC, id ASC
"""

# Only for benchmark scripts that were explicitly told to empty their database (--reset). In batches, as
# an auto-commit query: one transaction over a large database would hold all of its undo in memory.
DELETE_EVERYTHING = "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS"
ANY_NODE = "MATCH (n) RETURN count(n) > 0 AS found"
