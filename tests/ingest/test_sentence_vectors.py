"""The answer sentences' vectors kept on disk (ingest.sentences): how a passage is cut, what is kept, and
that a damaged file costs only time."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from ingest.sentences import SentenceVectors, file_for, sentence_bodies

ARTICLE = (
    "第十三条　职业学校教育分为中等职业学校教育、高等职业学校教育。"
    "中等职业学校教育由高级中等教育层次的中等职业学校（含技工学校）实施。\n"
    "（一）加强“楚怡”品牌建设；1.建设一批楚怡高水平专业群。"
)


def test_a_passage_is_cut_as_the_answer_cuts_it() -> None:
    bodies = sentence_bodies(ARTICLE)
    assert bodies == [
        "第十三条　职业学校教育分为中等职业学校教育、高等职业学校教育。",
        "中等职业学校教育由高级中等教育层次的中等职业学校（含技工学校）实施。",
        "加强“楚怡”品牌建设；",  # numbering （一） removed, as the answer removes it
        "建设一批楚怡高水平专业群。",
    ]
    assert sentence_bodies("一、总则\n好。") == []  # headings this short are never answers


def test_vectors_round_trip_between_two_readers_of_one_file(tmp_path: Path) -> None:
    path = file_for(tmp_path / "cache", "models/bge-small-zh-v1.5")
    assert path != file_for(tmp_path / "cache", "another-model")  # one file per model
    writer, reader = SentenceVectors(path), SentenceVectors(path)
    rng = np.random.default_rng(3)
    vectors = rng.standard_normal((3, 8)).astype(np.float32)
    texts = ["职业学校教育分为中等职业学校教育。", "楚怡工匠计划", "高等职业学校教育"]
    writer.put_many(texts[:2], vectors[:2])
    assert reader.missing([*texts, texts[0]]) == [texts[2]]
    got = reader.get_many(texts)
    assert set(got) == set(texts[:2])
    np.testing.assert_array_equal(got[texts[1]], vectors[1])  # as given, bit for bit
    writer.put_many([texts[0]], [np.zeros(8, np.float32)])  # the first vector of a text stays
    np.testing.assert_array_equal(reader.get_many([texts[0]])[texts[0]], vectors[0])
    assert len(reader) == 2
    writer.close()
    reader.close()


def test_a_damaged_file_is_treated_as_empty(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "sentence-vectors.db"
    path.write_bytes(b"this is not a database" * 100)
    kept = SentenceVectors(path)
    with caplog.at_level(logging.WARNING, logger="ingest.sentences"):
        assert kept.get_many(["楚怡"]) == {}
        assert kept.missing(["楚怡"]) == ["楚怡"]
        kept.put_many(["楚怡"], [np.ones(4, np.float32)])  # not raised: the answer embeds instead
    assert "cannot read" in caplog.text and "cannot write" in caplog.text
    kept.close()
