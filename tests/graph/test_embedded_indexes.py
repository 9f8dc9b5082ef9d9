"""The embedded store's own indexes: keyword segments (merged, saved, reloaded) rank exactly like one
fresh index over the same rows; the HNSW index finds what exact search finds; the tokenizer's names
are recorded with the keyword index and passages that hold a name learnt later are re-tokenised."""

from __future__ import annotations

import random
import time
from pathlib import Path

import numpy as np
import pytest

from graph import keyword_index, vector_index
from graph.embedded import EmbeddedStore
from graph.keyword_index import KeywordIndex, encode_terms
from graph.models import Document, DocumentBundle, Passage
from graph.text import Tokenizer
from graph.vector_index import VectorIndex
from graph.vectors import normalise

WORDS = [f"w{i}" for i in range(60)]
NAME = "甲乙丙丁戊基地"


def _docs(rng: random.Random, n: int) -> list[list[str]]:
    return [[rng.choice(WORDS[: rng.randint(5, 60)]) for _ in range(rng.randint(1, 40))] for _ in range(n)]


def _scores(index: KeywordIndex, queries: list[list[str]]) -> list[list[tuple[int, float]]]:
    return [index.top(q, 10**6) for q in queries]


@pytest.mark.parametrize("max_merged", [keyword_index.MAX_MERGED, 2_000])
def test_keyword_segments_rank_like_one_fresh_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, max_merged: int
) -> None:
    monkeypatch.setattr(keyword_index, "FLUSH_POSTINGS", 300)  # many file segments and merges
    monkeypatch.setattr(keyword_index, "MAX_MERGED", max_merged)  # and, with 2,000, many left unmerged
    rng = random.Random(3)
    final: dict[int, list[str]] = {}
    index = KeywordIndex(tmp_path)
    revision = 0
    for step in range(120):
        rows = list(range(step * 5, step * 5 + 5))
        docs = _docs(rng, 5)
        index.add(rows, [encode_terms(d) for d in docs], [len(d) for d in docs])
        final.update(zip(rows, docs, strict=True))
        if step % 7 == 3:  # a deletion
            gone = rng.sample(sorted(final), 3)
            index.remove(gone)
            for r in gone:
                del final[r]
        if step % 11 == 5:  # a re-tokenisation of a live row
            row = rng.choice(sorted(final))
            final[row] = _docs(rng, 1)[0]
            index.add([row], [encode_terms(final[row])], [len(final[row])])
        revision += 1
        index.maintain(revision)
    queries = [rng.sample(WORDS, 3) for _ in range(15)]
    fresh = KeywordIndex()
    fresh.add(sorted(final), [encode_terms(final[r]) for r in sorted(final)], [len(final[r]) for r in sorted(final)])
    assert index.documents == fresh.documents == len(final)
    expected = _scores(fresh, queries)
    got = _scores(index, queries)
    for a, b in zip(got, expected, strict=True):
        assert [r for r, _ in a] == [r for r, _ in b]
        assert [s for _, s in a] == pytest.approx([s for _, s in b], rel=1e-6)
    # What a restart sees: the saved files plus the rows written after them.
    index.save(revision)
    reloaded = KeywordIndex(tmp_path)
    assert reloaded.load_files() == revision
    rows = np.array(sorted(final))
    reloaded.set_rows(rows, np.array([len(final[r]) for r in rows]))
    for a, b in zip(_scores(reloaded, queries), expected, strict=True):
        assert [r for r, _ in a] == [r for r, _ in b]


def _vectors(rng: np.random.Generator, n: int, dim: int = 32) -> np.ndarray:
    centres = rng.normal(size=(20, dim))
    out = centres[rng.integers(0, 20, n)] + 0.3 * rng.normal(size=(n, dim))
    return np.stack([normalise(v) for v in out])


def _wait_ready(index: VectorIndex) -> None:
    deadline = time.monotonic() + 60
    while not (index._ann is not None and index._ann.ready):
        assert time.monotonic() < deadline, "the HNSW index was never built"
        time.sleep(0.01)


def test_hnsw_index_finds_what_exact_search_finds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vector_index, "ANN_MIN_ROWS", 500)
    rng = np.random.default_rng(1)
    data = _vectors(rng, 3000)
    index = VectorIndex(tmp_path)
    index.open(0, 0, np.zeros(0, np.int64))
    for lo in range(0, 2000, 250):
        index.write(lo, data[lo : lo + 250])
        index.commit(lo + 250, np.arange(lo, lo + 250), np.zeros(0, np.int64))
    _wait_ready(index)
    dead = np.arange(0, 2000, 7)
    index.commit(2000, np.zeros(0, np.int64), dead)
    queries = _vectors(rng, 20)
    exact = data[:2000] @ queries.T
    exact[dead] = -np.inf
    recall = []
    for qi, q in enumerate(queries):
        hits = index.search(q, 10)
        rows = [r for r, _ in hits]
        assert not set(rows) & set(dead.tolist()), "a removed row came back"
        for r, score in hits:
            assert score == pytest.approx(float(data[r] @ q), abs=1e-5)  # re-scored exactly
        recall.append(len(set(rows[:10]) & set(np.argsort(-exact[:, qi])[:10].tolist())) / 10)
    assert np.mean(recall) >= 0.9
    index.close()  # saves the HNSW index
    again = VectorIndex(tmp_path)
    valid = np.setdiff1d(np.arange(2000), dead)
    again.open(32, 2000, valid)
    assert again._ann is not None and again._ann.covered == 2000
    again.write(2000, data[2000:2100])
    again.commit(2100, np.arange(2000, 2100), np.zeros(0, np.int64))
    _wait_ready(again)
    best = [r for r, _ in again.search(data[2050], 5)]
    assert best[0] == 2050  # a row written after the restart is found
    again.close()


def _bundle(doc_id: str, texts: list[str]) -> DocumentBundle:
    doc = Document(id=doc_id, title=doc_id, source=f"{doc_id}.txt", sha256=doc_id)
    passages = [Passage(id=f"{doc_id}:{i}", doc_id=doc_id, text=t, order=i) for i, t in enumerate(texts)]
    return DocumentBundle(document=doc, passages=passages)


def test_names_learnt_later_retokenise_only_what_holds_them(tmp_path: Path) -> None:
    texts = [f"支持{NAME}建设。", "湖南省教育厅推动职业院校办学能力提升。", f"{NAME}和技工院校。"]
    late = EmbeddedStore(tmp_path / "late", Tokenizer())
    late.start()
    late.upsert_document(_bundle("doc:1", texts))
    assert late.keyword_search([NAME], 5) == []  # not a token yet
    before = late.revision()
    late.tokenizer.add_words([NAME])
    found = late.keyword_search([NAME], 5)
    assert sorted(h.passage.id for h in found) == ["doc:1:0", "doc:1:2"]
    assert late.revision() != before  # re-tokenising is a write

    early = EmbeddedStore(tmp_path / "early", Tokenizer([NAME]))
    early.start()
    early.upsert_document(_bundle("doc:1", texts))
    for query in ([NAME], ["基地", "院校"], ["教育厅"]):
        assert late.keyword_search(query, 5) == early.keyword_search(query, 5)

    late.close()
    restarted = EmbeddedStore(tmp_path / "late", Tokenizer())
    restarted.start()
    assert NAME in restarted.tokenizer.words, "the names the index was made with are taught back"
    assert restarted.keyword_search([NAME], 5) == early.keyword_search([NAME], 5)


def test_a_second_store_on_the_same_folder_sees_each_write(tmp_path: Path) -> None:
    writer, reader = EmbeddedStore(tmp_path), EmbeddedStore(tmp_path)
    writer.start()
    reader.start()
    assert reader.revision() == writer.revision()
    writer.upsert_document(_bundle("doc:1", ["楚怡职业教育行动计划。"]))
    assert reader.revision() == writer.revision()
    assert [d.id for d in reader.list_documents()] == ["doc:1"]
    assert [h.passage.id for h in reader.keyword_search(["楚怡"], 5)] == ["doc:1:0"]
    reader.upsert_document(_bundle("doc:2", ["楚怡工匠。"]))
    assert sorted(h.passage.id for h in writer.keyword_search(["楚怡"], 5)) == ["doc:1:0", "doc:2:0"]
    assert writer.revision() == reader.revision()
