"""The Neo4j server our launcher starts: APOC core is loaded, as outside clients (LangChain) expect."""

from __future__ import annotations

import pytest
from neo4j import GraphDatabase

pytestmark = pytest.mark.neo4j


def test_apoc_core_reads_the_schema(clean_neo4j: str) -> None:
    with GraphDatabase.driver(clean_neo4j, auth=("neo4j", "neo4j")) as driver, driver.session() as session:
        version = session.run("RETURN apoc.version() AS v").single(strict=True)["v"]
        assert str(version).startswith("5.26")
        session.run("CREATE (:Document {id: 'doc:apoc'})-[:HAS_PASSAGE]->(:Passage {id: 'p:apoc'})").consume()
        labels = {r["label"] for r in session.run("CALL apoc.meta.data() YIELD label RETURN DISTINCT label")}
        assert {"Document", "Passage", "HAS_PASSAGE"} <= labels
