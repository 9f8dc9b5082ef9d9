"""The read-only Cypher guard (unit tests of the lexer logic), and the read transaction behind it
on a real Neo4j (the second guard)."""

from __future__ import annotations

import pytest

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
    "RETURN 'unterminated",
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
