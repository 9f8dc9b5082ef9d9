"""Store speed on synthetic data shaped like ours: write, search, graph reads, delete, save/load.

    .venv/bin/python scripts/bench_store.py [--docs 40] [--passages 50] [--neo4j-uri bolt://127.0.0.1:17702 --reset]

Documents get passages of real Chinese policy sentences (from the seed in corpora/) with random
unit vectors, and shared entities linked to passages (MENTIONS) and to each other. Prints timings;
asserts nothing (speed targets live here, never in tests). Neo4j is measured only when --neo4j-uri is
given, and only with --reset (which empties that database).
"""

from __future__ import annotations

import argparse
import itertools
import math
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from neo4j import GraphDatabase

from graph import cypher
from graph.embedded import STATE_FILE, EmbeddedStore
from graph.models import Document, DocumentBundle, Entity, Passage, Relation, stable_id
from graph.neo4j_store import Neo4jStore
from graph.store import GraphStore

ROOT = Path(__file__).resolve().parent.parent
DIM = 512


def sentences() -> list[str]:
    seed = next((ROOT / "corpora" / "policies").glob("*.txt"))
    text = seed.read_text(encoding="utf-8")
    return [s.strip() for s in text.replace("\n", "。").split("。") if len(s.strip()) >= 8]


def make_bundles(docs: int, passages: int, entities: int, rng: random.Random) -> list[DocumentBundle]:
    pool = sentences()
    vecs = np.random.default_rng(7).standard_normal((docs * passages, DIM)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    shared = [
        Entity(id=f"org:{i}", label="Organization", name=f"湖南省第{i}职业技术学院", properties={"aliases": [f"{i}院"]})
        for i in range(entities)
    ]
    bundles = []
    for d in range(docs):
        doc = Document(id=f"doc:{d}", title=f"楚怡行动文件{d}", source=f"{d}.txt", sha256=f"sha{d}")
        ps = [
            Passage(
                id=stable_id("psg", doc.id, str(j)),
                doc_id=doc.id,
                text="。".join(rng.sample(pool, 3)),
                order=j,
                section_path=f"{j % 5}",
                embedding=vecs[d * passages + j].tolist(),
            )
            for j in range(passages)
        ]
        ents = rng.sample(shared, min(8, entities))
        rels = [Relation(source=p.id, target=rng.choice(ents).id, type="MENTIONS", evidence=p.id) for p in ps]
        rels += [Relation(source=doc.id, target=ents[0].id, type="ISSUED_BY", evidence=ps[0].id)]
        rels += [
            Relation(source=a.id, target=b.id, type="PART_OF", evidence=ps[1].id) for a, b in itertools.pairwise(ents)
        ]
        bundles.append(DocumentBundle(document=doc, passages=ps, entities=ents, relations=rels))
    return bundles


def timed(fn: Callable[[], object], repeat: int = 1) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def report(name: str, ms: list[float]) -> None:
    p95 = sorted(ms)[max(0, math.ceil(len(ms) * 0.95) - 1)]  # nearest rank
    print(f"  {name:<34} mean {statistics.mean(ms):8.1f} ms   p95 {p95:8.1f} ms   n={len(ms)}")


def bench(store: GraphStore, bundles: list[DocumentBundle], queries: int, rng: random.Random) -> None:
    passages = sum(len(b.passages) for b in bundles)
    start = time.perf_counter()
    for b in bundles:
        store.upsert_document(b)
    took = time.perf_counter() - start
    stats = store.stats()
    print(f"  upsert {len(bundles)} documents: {took:.2f} s ({passages / took:.0f} passages/s); "
          f"{stats.node_total} nodes, {stats.relationship_total} relationships")  # fmt: skip
    qv = np.random.default_rng(11).standard_normal((queries, DIM)).astype(np.float32)
    texts = [b.passages[0].text[:12] for b in bundles]
    store.vector_search(qv[0].tolist(), 10)  # build indexes once
    store.keyword_search(store.tokenizer.search_tokens(texts[0]), 10)
    report("vector_search k=10", [timed(lambda v=v: store.vector_search(v.tolist(), 10))[0] for v in qv])
    report(
        "keyword_search k=10",
        [timed(lambda t=t: store.keyword_search(store.tokenizer.search_tokens(t), 10))[0] for t in texts],
    )
    report("find_entities", timed(lambda: store.find_entities("职业技术学院"), queries))
    a, b = bundles[0].entities[0].id, bundles[-1].entities[-1].id
    report("neighbors depth=2", timed(lambda: store.neighbors(a, depth=2), max(3, queries // 5)))
    report("paths max_hops=4", timed(lambda: store.paths(a, b, max_hops=4), max(3, queries // 5)))
    report("export_json", timed(store.export_json, 3))
    victims = rng.sample([b.document.id for b in bundles], 3)
    report("delete_document", [timed(lambda d=d: store.delete_document(d))[0] for d in victims])
    report("upsert_document (re-add)", [timed(lambda b=b: store.upsert_document(b))[0] for b in bundles[:3]])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=40)
    parser.add_argument("--passages", type=int, default=50)
    parser.add_argument("--entities", type=int, default=200)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--neo4j-uri")
    parser.add_argument("--reset", action="store_true", help="empty the Neo4j database first (required)")
    args = parser.parse_args()
    rng = random.Random(3)
    bundles = make_bundles(args.docs, args.passages, args.entities, rng)

    folder = Path(tempfile.mkdtemp(prefix="bench-store-"))
    embedded = EmbeddedStore(folder)
    embedded.start()
    print(f"embedded ({folder})")
    bench(embedded, bundles, args.queries, rng)
    size = (folder / STATE_FILE).stat().st_size / 2**20
    report("save (whole state)", timed(lambda: embedded.upsert_entities([], [], "bench:noop-save"), 3))
    fresh = EmbeddedStore(folder)
    report(f"load at start ({size:.1f} MiB file)", timed(fresh.start, 3))

    if args.neo4j_uri:
        if not args.reset:
            raise SystemExit("bench: --reset is required with --neo4j-uri (the database is emptied)")
        with GraphDatabase.driver(args.neo4j_uri, auth=("neo4j", "neo4j")) as driver, driver.session() as s:
            s.run(cypher.DELETE_EVERYTHING).consume()
        neo4j = Neo4jStore(args.neo4j_uri, "neo4j", "neo4j")
        neo4j.start()
        print(f"neo4j ({args.neo4j_uri})")
        bench(neo4j, bundles, args.queries, rng)
        neo4j.close()


if __name__ == "__main__":
    main()
