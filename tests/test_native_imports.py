"""The native libraries the service loads live together in one process, in either order.

The embedded store loads faiss at start on a large store, and the encoder (onnxruntime) starts after the
store. (usearch 2.26, tried for the HNSW index, crashed the interpreter with SIGSEGV in that order.)
"""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    ("first", "second"),
    [("faiss", "onnxruntime"), ("onnxruntime", "faiss")],
    ids=["store-first", "model-first"],
)
def test_store_and_encoder_libraries_load_in_either_order(first: str, second: str) -> None:
    code = f"import {first}; import {second}; print('both loaded')"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, (proc.returncode, proc.stderr[-2000:])
    assert proc.stdout.strip() == "both loaded"
