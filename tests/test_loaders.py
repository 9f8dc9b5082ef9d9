from __future__ import annotations

from pathlib import Path

import pytest

from ingest.errors import DecodeFailed, EmptyDocument, FileTooLarge, UnsupportedFormat
from ingest.loaders import load_file
from tests.conftest import SEED


def test_gbk_file_is_detected_not_assumed(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    gbk = tmp_path / "seed_gbk.txt"
    gbk.write_bytes(text.encode("gbk"))
    loaded = load_file(gbk, 10**7)
    assert loaded.encoding == "gb18030"
    assert loaded.text == text


def test_utf8_with_bom(tmp_path: Path) -> None:
    f = tmp_path / "bom.txt"
    f.write_bytes("\ufeff湖南省教育厅".encode())
    assert load_file(f, 10**6).text == "湖南省教育厅"


@pytest.mark.parametrize(
    ("name", "data", "error"),
    [
        ("empty.txt", b"", EmptyDocument),
        ("blank.txt", b"  \n\n ", EmptyDocument),
        ("binary.txt", b"\x00\x01\x02\xff" * 10, DecodeFailed),
        ("table.xlsx", b"PK", UnsupportedFormat),
    ],
)
def test_bad_input_gets_a_clear_error(tmp_path: Path, name: str, data: bytes, error: type[Exception]) -> None:
    f = tmp_path / name
    f.write_bytes(data)
    with pytest.raises(error):
        load_file(f, 10**6)


def test_size_limit(tmp_path: Path) -> None:
    f = tmp_path / "big.txt"
    f.write_text("楚怡" * 1000, encoding="utf-8")
    with pytest.raises(FileTooLarge):
        load_file(f, 100)
