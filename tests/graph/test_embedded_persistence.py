"""Embedded store persistence: restart keeps everything, and a save killed half-way (SIGKILL, the
worst case: no cleanup runs) leaves the previous complete state loadable."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from graph.embedded import STATE_FILE, EmbeddedStore
from graph.errors import StoreCorrupt
from tests.conftest import ROOT
from tests.graph.conftest import load_known_graph
from tests.graph.graphs import vec
from tests.graph.save_loop import PASSAGES

KILL_ROUNDS = 8


def _saved_counts(progress: Path) -> list[int]:
    return [int(x) for x in progress.read_text().split()] if progress.exists() else []


def test_restart_keeps_everything(tmp_path: Path) -> None:
    first = EmbeddedStore(tmp_path)
    first.start()
    load_known_graph(first)
    second = EmbeddedStore(tmp_path)
    second.start()
    assert second.export_json() == first.export_json()
    assert second.vector_search(vec((2, 1.0)), 3) == first.vector_search(vec((2, 1.0)), 3)
    assert second.keyword_search(["楚怡"], 3) == first.keyword_search(["楚怡"], 3)
    assert second.paths("org:hngy", "org:fin") == first.paths("org:hngy", "org:fin")


@pytest.mark.slow  # KILL_ROUNDS subprocesses, each killed mid-save
def test_kill_during_save_leaves_previous_state_loadable(tmp_path: Path) -> None:
    data, progress = tmp_path / "data", tmp_path / "progress.txt"
    rng = random.Random(4)
    killed_mid_save = 0
    for round_ in range(KILL_ROUNDS):
        before = len(_saved_counts(progress))
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.graph.save_loop", str(data), str(progress)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        deadline = time.monotonic() + 120
        while len(_saved_counts(progress)) < before + 2:  # let it finish two saves, then strike
            assert child.poll() is None, "the save loop died on its own"
            assert time.monotonic() < deadline, "the save loop made no progress"
            time.sleep(0.01)
        if round_ % 2 == 0:
            # Strike while a save is writing its temporary file: the case atomic saves exist for.
            while not list(data.glob(".graph-*.tmp")) and time.monotonic() < deadline:
                time.sleep(0.0005)
        else:
            time.sleep(rng.uniform(0.0, 0.3))  # anywhere in the loop
        child.send_signal(signal.SIGKILL)
        child.wait()
        killed_mid_save += bool(list(data.glob(".graph-*.tmp")))

        saved = _saved_counts(progress)[-1]
        with zipfile.ZipFile(data / STATE_FILE) as zf:
            assert zf.testzip() is None  # the state file itself is always whole
        store = EmbeddedStore(data)
        store.start()
        assert not list(data.glob(".graph-*.tmp")), "start() removes what a killed save left"
        docs = [d.id for d in store.list_documents()]
        # Either the last reported save, or one more whose report the kill cut off; never a mix.
        assert len(docs) in (saved, saved + 1)
        assert sorted(docs) == [f"doc:{i:04d}" for i in range(len(docs))]
        stats = store.stats()
        assert stats.nodes == {"Document": len(docs), "Passage": len(docs) * PASSAGES}
        assert stats.relationships == {"HAS_PASSAGE": len(docs) * PASSAGES}
        hits = store.vector_search(vec((7, 1.0)), 10**6)
        assert len(hits) == len(docs) * PASSAGES  # every passage kept its vector
        assert hits[0].score == pytest.approx(1.0)
    print(f"{killed_mid_save} of {KILL_ROUNDS} kills landed inside a save")
    assert killed_mid_save >= KILL_ROUNDS // 4, "too few kills landed inside a save; the test proved little"


def test_corrupt_state_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / STATE_FILE).write_bytes(b"not a zip")
    with pytest.raises(StoreCorrupt):
        EmbeddedStore(tmp_path).start()
