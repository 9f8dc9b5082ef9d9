"""Embedded store persistence: restart keeps everything, a write killed half-way (SIGKILL, the worst
case: no cleanup runs) leaves each document whole or absent, and an old graph.zip is migrated."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graph import vector_index
from graph.embedded import STATE_FILE, EmbeddedStore
from graph.errors import StoreCorrupt
from graph.text import Tokenizer, tokenize
from tests.conftest import ROOT
from tests.graph.conftest import load_known_graph
from tests.graph.graphs import plan_a, vec
from tests.graph.save_loop import ANN_ROWS, MARKER, PASSAGES

KILL_ROUNDS = 8
OLD_ZIP = Path(__file__).parent / "data" / "known_graph_v1.zip"  # the known graph saved by the old store


def _saved_counts(progress: Path) -> list[int]:
    return [int(x) for x in progress.read_text().split()] if progress.exists() else []


def _same_store(a: EmbeddedStore, b: EmbeddedStore) -> None:
    assert b.export_json() == a.export_json()
    assert b.stats() == a.stats()
    for query in (vec((2, 1.0)), vec((0, 1.0), (4, 0.3))):
        assert b.vector_search(query, 5) == a.vector_search(query, 5)
    for text in ("楚怡", "教育厅 财政厅", "住房医疗"):
        assert b.keyword_search(tokenize(text), 5) == a.keyword_search(tokenize(text), 5)
    assert b.paths("org:hngy", "org:fin") == a.paths("org:hngy", "org:fin")
    assert b.find_entities("楚怡") == a.find_entities("楚怡")


def test_restart_keeps_everything(tmp_path: Path) -> None:
    first = EmbeddedStore(tmp_path)
    first.start()
    load_known_graph(first)
    second = EmbeddedStore(tmp_path)
    second.start()
    _same_store(first, second)
    assert second.revision() == first.revision()


def test_restart_from_saved_index_files(tmp_path: Path) -> None:
    """close() saves the keyword index; a restart reads it back and adds what was written after."""
    first = EmbeddedStore(tmp_path)
    first.start()
    load_known_graph(first)
    first.close()
    assert list((tmp_path / "index" / "keyword").glob("seg-*"))
    again = EmbeddedStore(tmp_path)
    again.start()
    again.delete_document("doc:b")
    again.upsert_document(plan_a())
    fresh = EmbeddedStore(tmp_path / "fresh")
    fresh.start()
    load_known_graph(fresh)
    fresh.delete_document("doc:b")
    third = EmbeddedStore(tmp_path)
    third.start()
    _same_store(fresh, third)


@pytest.mark.slow  # KILL_ROUNDS subprocesses, each killed mid-write
def test_kill_during_write_leaves_documents_whole_or_absent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vector_index, "ANN_MIN_ROWS", ANN_ROWS)  # reopen with the HNSW index on, as written
    data, progress, marker = tmp_path / "data", tmp_path / "progress.txt", tmp_path / MARKER
    rng = random.Random(4)
    killed_mid_write = 0
    for round_ in range(KILL_ROUNDS):
        before = len(_saved_counts(progress))
        marker.unlink(missing_ok=True)
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.graph.save_loop", str(data), str(progress)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        deadline = time.monotonic() + 120
        while len(_saved_counts(progress)) < before + 2:  # let it finish two writes, then strike
            assert child.poll() is None, "the write loop died on its own"
            assert time.monotonic() < deadline, "the write loop made no progress"
            time.sleep(0.01)
        if round_ % 2 == 0:
            # Strike once a document's rows are all in the database but not committed.
            while not marker.exists() and time.monotonic() < deadline:
                time.sleep(0.0005)
        else:
            time.sleep(rng.uniform(0.0, 0.3))  # anywhere in the loop
        child.send_signal(signal.SIGKILL)
        child.wait()
        killed_mid_write += marker.exists()

        saved = _saved_counts(progress)[-1]
        with sqlite3.connect(data / STATE_FILE) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        store = EmbeddedStore(data)
        store.start()
        docs = [d.id for d in store.list_documents()]
        # Either the last reported write, or one more whose report the kill cut off; never a part of one.
        assert len(docs) in (saved, saved + 1)
        assert sorted(docs) == [f"doc:{i:04d}" for i in range(len(docs))]
        stats = store.stats()
        assert stats.nodes == {"Document": len(docs), "Passage": len(docs) * PASSAGES}
        assert stats.relationships == {"HAS_PASSAGE": len(docs) * PASSAGES}
        hits = store.vector_search(vec((7, 1.0)), 10**6)
        assert len(hits) == len(docs) * PASSAGES  # every passage kept its vector
        assert hits[0].score == pytest.approx(1.0)
        assert len(store.keyword_search(["楚怡"], 10**6)) == len(docs) * PASSAGES  # and its tokens
        store.close()
    print(f"{killed_mid_write} of {KILL_ROUNDS} kills landed inside a write")
    assert killed_mid_write >= KILL_ROUNDS // 4, "too few kills landed inside a write; the test proved little"


def test_corrupt_database_is_reported(tmp_path: Path) -> None:
    (tmp_path / STATE_FILE).write_bytes(b"not a database" * 100)
    with pytest.raises(StoreCorrupt):
        EmbeddedStore(tmp_path).start()


def test_corrupt_old_zip_is_reported(tmp_path: Path) -> None:
    (tmp_path / "graph.zip").write_bytes(b"not a zip")
    with pytest.raises(StoreCorrupt):
        EmbeddedStore(tmp_path).start()
    assert (tmp_path / "graph.zip").exists(), "nothing is renamed when the migration fails"


def test_old_zip_is_migrated(tmp_path: Path) -> None:
    shutil.copy(OLD_ZIP, tmp_path / "graph.zip")
    migrated = EmbeddedStore(tmp_path, Tokenizer([e.name for e in plan_a().entities]))
    migrated.start()
    assert not (tmp_path / "graph.zip").exists() and (tmp_path / "graph.zip.migrated").exists()
    fresh = EmbeddedStore(tmp_path / "fresh", Tokenizer([e.name for e in plan_a().entities]))
    fresh.start()
    load_known_graph(fresh)
    _same_store(fresh, migrated)
    # A second start finds nothing left to migrate. Its own tokenizer: the shared default one may have been
    # taught other names by earlier tests in this process.
    again = EmbeddedStore(tmp_path, Tokenizer([e.name for e in plan_a().entities]))
    again.start()
    _same_store(fresh, again)


def test_old_zip_beside_a_new_store_is_refused(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    store.start()
    load_known_graph(store)
    store.close()
    shutil.copy(OLD_ZIP, tmp_path / "graph.zip")
    with pytest.raises(StoreCorrupt, match="both"):
        EmbeddedStore(tmp_path).start()
