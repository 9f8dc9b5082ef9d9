"""PROFILE the release of one document's origin on a built Neo4j database: through the origin index
(graph.cypher.RELEASE_ORIGIN, what writes use) and by the old scan of every node's origins
(RELEASE_ORIGIN_BY_SCAN). Each runs in a transaction that is rolled back: the data is left as it was.

    .venv/bin/python scripts/profile_release.py --neo4j-uri bolt://127.0.0.1:17696 [--repeat 3]

Prints, for each, the database hits and the median time over --repeat runs (after one to plan), and the
store's size; the last line is JSON.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from typing import Any

from neo4j import GraphDatabase

from graph import cypher
from graph.neo4j_store import Neo4jStore, origin_term


def db_hits(plan: Any) -> int:
    return int(plan.get("dbHits", 0)) + sum(db_hits(child) for child in plan.get("children", []))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--neo4j-uri", required=True)
    parser.add_argument("--neo4j-user", default="neo4j")
    parser.add_argument("--neo4j-password", default="neo4j")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    result: dict[str, Any] = {}
    store = Neo4jStore(args.neo4j_uri, args.neo4j_user, args.neo4j_password)
    store.start()
    counts = store.stats().nodes
    docs = sorted(d.id for d in store.list_documents())
    store.close()
    if not docs:
        raise SystemExit("profile: no documents in that database")
    victim = docs[len(docs) // 2]
    with GraphDatabase.driver(args.neo4j_uri, auth=(args.neo4j_user, args.neo4j_password)) as driver:
        params = {"origin": victim, "origin_query": origin_term(victim), "keep_nodes": [], "keep_rels": []}
        result.update(passages=counts.get("Passage", 0), nodes=sum(counts.values()), document=victim)
        for name, statement in (("index", cypher.RELEASE_ORIGIN), ("scan", cypher.RELEASE_ORIGIN_BY_SCAN)):
            times, hits, deleted = [], 0, 0
            for attempt in range(args.repeat + 1):
                with driver.session() as session:
                    tx = session.begin_transaction()
                    started = time.perf_counter()
                    summary = tx.run("PROFILE " + statement, parameters=params)
                    deleted = summary.single(strict=True)["deleted"]
                    profile = summary.consume().profile
                    elapsed = (time.perf_counter() - started) * 1000
                    tx.rollback()
                if attempt:
                    times.append(elapsed)
                hits = db_hits(profile)
            result[name] = {"db_hits": hits, "ms": round(statistics.median(times), 1), "deleted": deleted}
            print(f"{name:<6} {hits:>10,} db hits  {result[name]['ms']:>8.1f} ms  ({deleted} nodes released)")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
