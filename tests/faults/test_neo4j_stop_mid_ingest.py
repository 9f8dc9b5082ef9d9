"""Neo4j stopped while `chuyi ingest` writes, then started on the same data folder: every stored document is
whole (as many sections, passages and vectors as a whole ingest writes), no id is held twice, and the next
`chuyi ingest` of the same files completes."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest
from neo4j import GraphDatabase

from search_api.cli import EXIT_OK, EXIT_STORE_UNAVAILABLE
from tests.conftest import SEED, shared_path
from tests.faults.conftest import (
    Neo4jServer,
    chuyi,
    expected_counts,
    ids_held_twice,
    service_env,
    stored_counts,
)

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

# Small laws of ../shared (no two versions of one work): each takes a few seconds to embed, so the stop lands
# between, or during, document writes.
LAWS = [
    "local/河南省实施《职业教育法》办法(2010-07-30).md",
    "national/教育督导条例(2012-09-09).md",
    "local/北京市实施《职业教育法》办法.md",
    "local/宁波市职业技能培训条例(2016-04-20).md",
    "national/教师法(2009-08-27).md",
    "local/河南省职业培训条例(2017-12-04).md",
    "local/宁波市中等职业教育条例(2010-08-11).md",
    "local/宁波市职业教育校企合作促进条例(2020-10-10).md",
]


def _documents(uri: str) -> int:
    with GraphDatabase.driver(uri, auth=("neo4j", "neo4j")) as driver, driver.session() as session:
        return int(session.run("MATCH (d:Document) RETURN count(d) AS n").single(strict=True)["n"])


def test_neo4j_stopped_mid_ingest_leaves_whole_documents(neo4j_server: Neo4jServer, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    files = [Path(shutil.copy(SEED, corpus))]
    files += [Path(shutil.copy(shared_path(Path("data/lawrefbook-laws") / law), corpus)) for law in LAWS]
    expected = expected_counts(files)
    data = tmp_path / "neo4j-data"
    uri = neo4j_server.start(data)
    env = service_env(uri, tmp_path / "cli-data")

    ingest = chuyi(["ingest", "--quiet", str(corpus)], env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    # Stop the server once the first documents are in, while the rest are still being embedded and written.
    deadline = time.monotonic() + 300
    while _documents(uri) < 2:
        assert ingest.poll() is None, f"the ingest ended before the stop: {ingest.communicate()[0]}"
        assert time.monotonic() < deadline, "no document was written within 300 s"
        time.sleep(0.2)
    neo4j_server.stop()
    output = ingest.communicate(timeout=300)[0]
    assert ingest.returncode == EXIT_STORE_UNAVAILABLE, output

    neo4j_server.start(data)
    stored = stored_counts(uri)
    assert 2 <= len(stored) < len(expected), stored
    for doc_id, (sections, passages, embedded) in stored.items():
        assert (sections, passages) == expected[doc_id], doc_id
        assert embedded == passages, doc_id
    assert ids_held_twice(uri) == []

    again = chuyi(["ingest", "--quiet", str(corpus)], env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = again.communicate(timeout=600)[0]
    assert again.returncode == EXIT_OK, output
    assert stored_counts(uri) == {doc_id: (s, p, p) for doc_id, (s, p) in expected.items()}
    assert ids_held_twice(uri) == []
