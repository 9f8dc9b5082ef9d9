"""Which Neo4j full-text analyzer ranks Chinese passages better: pre-segmented tokens (graph.text:
jieba words plus bigrams) with the whitespace analyzer, which graph/cypher.py uses, or Lucene's cjk
analyzer (overlapping bigrams) over the raw text? Prints hits@1, hits@5 and MRR@5 on the dev
questions, with the embedded BM25 and dense search for reference.

    .venv/bin/python scripts/bench_fulltext.py --neo4j-uri bolt://127.0.0.1:17702 [--reset] \
        [--distractors ../shared/data/lawrefbook-laws]

It ingests corpora/ with the real model and the real ingest pipeline into that database (refusing a
non-empty one unless --reset, which deletes everything in it). A hit: one of the top-5 passages contains
a gold string (whitespace removed on both sides), as in ../shared/eval/seed_dev_qa.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from neo4j import GraphDatabase

from graph import cypher
from graph.embedded import EmbeddedStore
from graph.neo4j_store import Neo4jStore
from graph.store import GraphStore
from ingest.embedding import SentenceTransformerEmbedder
from ingest.pipeline import IngestPipeline

ROOT = Path(__file__).resolve().parent.parent
LUCENE_SPECIAL = set('+-&|!(){}[]^"~*?:\\/')


def squash(text: str) -> str:
    return "".join(text.split())


def rank_of(texts: list[str], gold: list[str]) -> int | None:
    return next((i for i, t in enumerate(texts, 1) if any(squash(g) in squash(t) for g in gold)), None)


def ingest(store: GraphStore, embedder: SentenceTransformerEmbedder, corpus: Path, extra: list[Path]) -> None:
    knowledge = corpus / "knowledge"
    pipeline = IngestPipeline(
        store,
        embedder,
        max_file_bytes=20 * 2**20,
        progress=False,
        knowledge_dir=knowledge if knowledge.is_dir() else None,
    )
    summary = pipeline.ingest_paths([corpus / "policies", *extra])
    if not summary.ok:
        raise SystemExit(f"bench: ingest failed: {summary.errors}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--neo4j-uri", required=True)
    parser.add_argument("--neo4j-user", default="neo4j")
    parser.add_argument("--neo4j-password", default="neo4j")
    parser.add_argument("--reset", action="store_true", help="delete everything in the database first")
    parser.add_argument("--qa", type=Path, default=ROOT.parent / "shared" / "eval" / "seed_dev_qa.json")
    parser.add_argument("--model", default=str(ROOT / "models" / "bge-small-zh-v1.5"))
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpora")
    parser.add_argument(
        "--distractors",
        type=Path,
        nargs="*",
        default=[],
        help="more documents to ingest (e.g. ../shared/data/lawrefbook-laws) so ranking has competition",
    )
    parser.add_argument("-k", type=int, default=5)
    args = parser.parse_args()

    items = json.loads(args.qa.read_text(encoding="utf-8"))["search"]
    auth = (args.neo4j_user, args.neo4j_password)
    with GraphDatabase.driver(args.neo4j_uri, auth=auth) as driver, driver.session() as session:
        if any(r["n"] for r in session.run(cypher.NODE_COUNTS)) and not args.reset:
            raise SystemExit("bench: the database is not empty; pass --reset to empty it")
        if args.reset:
            session.run(cypher.DELETE_EVERYTHING).consume()

    embedder = SentenceTransformerEmbedder(args.model)
    embedder.start()
    neo4j = Neo4jStore(args.neo4j_uri, *auth)
    neo4j.start()
    embedded = EmbeddedStore(Path(tempfile.mkdtemp(prefix="bench-fulltext-")))
    embedded.start()
    for store in (neo4j, embedded):
        ingest(store, embedder, args.corpus, args.distractors)

    def cjk(q: str) -> list[str]:
        query = "".join("\\" + c if c in LUCENE_SPECIAL else c for c in q)
        with GraphDatabase.driver(args.neo4j_uri, auth=auth) as driver, driver.session() as session:
            return [r["text"] for r in session.run(cypher.CJK_SEARCH, parameters={"query": query, "k": args.k})]

    systems: dict[str, Callable[[str], list[str]]] = {
        "neo4j whitespace, q=words": lambda q: [
            h.passage.text for h in neo4j.keyword_search(neo4j.tokenizer.tokenize(q), args.k)
        ],
        "neo4j whitespace, q=w+bi": lambda q: [
            h.passage.text for h in neo4j.keyword_search(neo4j.tokenizer.search_tokens(q), args.k)
        ],
        "neo4j cjk over raw text": cjk,
        "embedded BM25, q=w+bi": lambda q: [
            h.passage.text for h in embedded.keyword_search(embedded.tokenizer.search_tokens(q), args.k)
        ],
        "dense bge-small-zh": lambda q: [
            h.passage.text for h in embedded.vector_search(embedder.embed_query(q), args.k)
        ],
    }
    passages = neo4j.stats().nodes.get("Passage", 0)
    documents = len(neo4j.list_documents())
    print(f"{len(items)} questions, {documents} documents, {passages} passages, top {args.k}")
    print(f"{'system':<28} {'hits@1':>7} {'hits@5':>7} {'MRR@5':>6}  ranks")
    for name, search in systems.items():
        ranks = [rank_of(search(item["q"]), item["gold"]) for item in items]
        hits = sum(r is not None for r in ranks)
        first = sum(r == 1 for r in ranks)
        mrr = sum(1 / r for r in ranks if r) / len(items)
        shown = " ".join(str(r) if r else "-" for r in ranks)
        print(f"{name:<28} {first:>3}/{len(items):<3} {hits:>3}/{len(items):<3} {mrr:>6.3f}  {shown}")

    neo4j.close()
    sys.stdout.flush()


if __name__ == "__main__":
    main()
