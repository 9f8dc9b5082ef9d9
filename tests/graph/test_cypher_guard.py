"""The read-only Cypher guard (unit tests of the tokenizer and the allow-list), and the read
transaction behind it on a real Neo4j (the second guard)."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import graph.neo4j_store
from graph.cypher_guard import check_read_only
from graph.errors import InvalidQuery, QueryRefused
from graph.store import GraphStore

ALLOWED = [
    "MATCH (n:Organization) WHERE n.name CONTAINS 'CREATE' RETURN n.name LIMIT 5",
    'MATCH (n) WHERE n.text = "DELETE \\" SET" RETURN n',
    "MATCH (n) RETURN count(n) // then DETACH DELETE n",
    "MATCH (n) /* SET n.x = 1 */ RETURN n",
    "MATCH (n) RETURN n.`set`, n.delete, n.create AS `MERGE`",
    "MATCH (n) WHERE n.id = $create RETURN n",
    "CALL db.labels() YIELD label RETURN label",
    "CALL db.index.fulltext.queryNodes('passage_tokens', '楚怡') YIELD node RETURN node.id",
    "CALL { MATCH (n:Programme) RETURN n } RETURN n.name",
    "MATCH p = shortestPath((a:Node {id: $a})-[*..4]-(b:Node {id: $b})) RETURN p",
    "UNWIND [1, 2] AS x RETURN x",
    "match (o:Organization)<-[:ISSUED_BY]-(d:Document) return o.name, count(d) order by count(d) desc",
    # Identifiers in any script, outside quotes too.
    "MATCH (d:Document) RETURN d.title AS 标题",
    "MATCH (d:Document) RETURN d.title AS 標題, d.`来源` AS Ｓｏｕｒｃｅ, d.title AS заголовок, d.title AS عنوان",
    "WITH 1 AS `CALL` RETURN `CALL` AS `dbms.listConfig`",
    # The allow-listed procedures, however they are spaced or commented.
    "CALL db.labels",
    "CALL db . labels() YIELD label RETURN label",
    "CALL db./* a comment */labels() YIELD label RETURN label",
    "CALL `db`.`labels`() YIELD label RETURN label",
    "CALL db.relationshipTypes()",
    "CALL db.propertyKeys()",
    "CALL db.schema.nodeTypeProperties()",
    "CALL db.schema.relTypeProperties()",
    "CALL db.schema.visualization()",
    "CALL db.index.vector.queryNodes('passage_embedding', 3, $v) YIELD node, score RETURN node.id, score",
    "CALL (x) { RETURN 1 AS y } RETURN y",
    # Built-in function namespaces that only compute.
    "RETURN vector.similarity.cosine([1.0, 0.0], [1.0, 0.0]) AS s, date.truncate('day', date()) AS d",
    "MATCH (n) RETURN $p.set, (n).delete, n[0..2], 1.5e3, [x IN range(1, 3) | x] AS xs",
]
REFUSED = [
    "CREATE (n)",
    "create (n)",
    "MATCH (n) DETACH DELETE n",
    "MATCH (n) SET n.x = 1",
    "MATCH (n) REMOVE n.x",
    "MERGE (n:Node {id: 'x'})",
    "LOAD CSV FROM 'file:///x' AS r RETURN r",
    "MATCH (n) FOREACH (x IN [1] | SET n.a = x)",
    "CALL dbms.security.createUser('a', 'b')",
    "CALL dbms.killQuery('x')",
    "CALL apoc.create.node(['X'], {})",
    "RETURN apoc.text.join(['a'], ',')",
    "CALL db.create.setNodeVectorProperty(n, 'e', [1.0])",
    "CALL db . create . setNodeVectorProperty(n, 'e', [1.0])",
    "CALL myproc()",
    "CALL gds.pageRank.write('g', {})",
    "MATCH (n) CALL { WITH n DELETE n } IN TRANSACTIONS",
    "GRANT ROLE admin TO eve",
    "REVOKE ROLE admin FROM eve",
    "DENY READ {*} ON GRAPH * TO eve",
    "SHOW USERS",
    "USE system SHOW DATABASES",
    "DROP INDEX passage_tokens",
    "ALTER USER neo4j SET PASSWORD 'x'",
    "STOP DATABASE neo4j",
    "TERMINATE TRANSACTIONS 'x'",
    # Back-quoted, spaced, commented and nested ways of naming a procedure that is not allowed.
    "CALL `dbms`.`listConfig`()",
    "CALL `dbms.listConfig`()",
    "CALL `dbms`.`killConnections`(['bolt-1'])",
    "CALL dbms . listConfig()",
    "CALL dbms/**/.listConfig()",
    "CALL\u00a0dbms.listConfig()",
    "call DBMS.LISTCONFIG()",
    "CALL db.labels() YIELD label WITH label CALL `dbms`.listConfig() YIELD name RETURN name",
    "CALL { CALL dbms.listConfig() YIELD name RETURN name } RETURN name",
    "MATCH (n) WHERE EXISTS { CALL dbms.components() YIELD name RETURN name } RETURN n",
    "RETURN COUNT { CALL `dbms`.`listConfig`() YIELD name RETURN name } AS n",
    "CALL apoc.meta.data()",
    "CALL db.createLabel('x')",
    "CALL db.index.fulltext.drop('passage_tokens')",
    "RETURN `apoc`.`text`.`join`(['a'], ',')",
    "RETURN `apoc.text.join`(['a'], ',')",
    "RETURN db.nameFromElementId('x')",
    "CALL",
    "CALL 'dbms.listConfig'",
    "RETURN {create: 1}",
    "RETURN 'unterminated",
    "RETURN `unterminated",
    "MATCH (n) /* unterminated",
    "",
    "   ",
]


@pytest.mark.parametrize("query", ALLOWED)
def test_read_queries_pass(query: str) -> None:
    check_read_only(query)


@pytest.mark.parametrize("query", REFUSED)
def test_write_and_admin_queries_are_refused(query: str) -> None:
    with pytest.raises(QueryRefused):
        check_read_only(query)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_any_text_is_accepted_or_refused_never_crashes(query: str) -> None:
    """Whatever the characters (any script, lone surrogates, control characters), the guard answers."""
    with contextlib.suppress(QueryRefused):
        check_read_only(query)


_SEPARATORS = st.sampled_from(["", " ", "\n", "\t", "\u00a0", "\u3000", "/**/", "/* x */", "// x\n"])


def _part(name: str) -> st.SearchStrategy[str]:
    return st.sampled_from([name, name.upper(), f"`{name}`"])


@settings(max_examples=300, deadline=None)
@given(_SEPARATORS, _part("dbms"), _SEPARATORS, _SEPARATORS, _part("listConfig"), st.sampled_from(["()", "", " ()"]),
       st.sampled_from(["", "CALL db.labels() YIELD label ", "CALL { ", "MATCH (n) WHERE EXISTS { "]))  # fmt: skip
def test_no_spelling_of_a_dbms_call_passes(
    sep1: str, namespace: str, sep2: str, sep3: str, name: str, args: str, prefix: str
) -> None:
    query = f"{prefix}CALL{sep1 or ' '}{namespace}{sep2}.{sep3}{name}{args}"
    with pytest.raises(QueryRefused):
        check_read_only(query)


@pytest.mark.neo4j
def test_allowed_procedures_and_unicode_names_run(neo4j_store: GraphStore) -> None:
    store = neo4j_store
    assert store.cypher_read("RETURN 1 AS 标题", {}) == [{"标题": 1}]
    for query in ALLOWED[-12:-3]:
        if "queryNodes" in query:
            store.cypher_read(query, {"v": [1.0] + [0.0] * 511})
        else:
            store.cypher_read(query, {})
    with pytest.raises(QueryRefused):
        store.cypher_read("CALL `dbms`.`listConfig`() YIELD name RETURN name", {})


@pytest.mark.neo4j
def test_read_transaction_is_the_second_guard(neo4j_store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the lexical guard switched off, Neo4j itself still refuses a write in the read transaction."""
    store = neo4j_store
    monkeypatch.setattr(graph.neo4j_store, "check_read_only", lambda query: None)
    with pytest.raises(QueryRefused) as caught:
        store.cypher_read("CREATE (n:Node {id: 'sneaky'}) RETURN n", {})
    assert not isinstance(caught.value, InvalidQuery)
    assert store.stats().node_total == 0


@pytest.mark.neo4j
def test_syntax_errors_are_invalid_queries(neo4j_store: GraphStore) -> None:
    store = neo4j_store
    with pytest.raises(InvalidQuery):
        store.cypher_read("MATCH (n RETURN n", {})
    assert store.cypher_read("RETURN $x + 1 AS y", {"x": 41}) == [{"y": 42}]
