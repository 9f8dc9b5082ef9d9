"""The one vector normaliser: embeddings and name vectors are compared as unit vectors (cosine = dot)."""

from __future__ import annotations

import numpy as np


def normalise(vec: list[float] | np.ndarray) -> np.ndarray:
    """vec as float32 scaled to length 1 (a zero vector is returned unchanged)."""
    arr = np.asarray(vec, dtype=np.float32)
    norm = float(np.linalg.norm(arr))
    return arr / norm if norm > 0 else arr
