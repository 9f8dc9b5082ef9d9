"""The extractive answer embeds only the sentences that can still win, and picks the winner a full
scoring picks (search_api.ask.extractive.winnable)."""

from __future__ import annotations

import numpy as np

from search_api.ask.extractive import DENSE_MAX, SEED, W_DENSE, winnable


def _case(rest: np.ndarray, dense: np.ndarray, cached: np.ndarray) -> tuple[np.ndarray, list[list[int]]]:
    calls: list[list[int]] = []

    def full(d: np.ndarray) -> np.ndarray:
        return W_DENSE * d + rest

    def embed(indices: list[int]) -> np.ndarray:
        calls.append(list(indices))
        return dense[indices]

    return winnable(full(np.full(len(rest), DENSE_MAX)), cached, full, embed), calls


def test_a_sentence_whose_best_possible_score_loses_is_never_embedded() -> None:
    rest = np.array([0.5, 0.45, 0.0, 0.01, 0.42])  # lexical + prior + bonuses
    dense = np.array([0.8, 0.7, 0.2, 0.3, 0.9])
    scores, calls = _case(rest, dense, np.zeros(5, dtype=bool))
    # Seeded with the two best bounds (0 and 1); best exact 0.9. Only 4 (0.42 + 0.5) can reach it.
    assert calls == [[0, 1], [4]]
    assert int(np.argmax(scores)) == int(np.argmax(W_DENSE * dense + rest)) == 0
    assert np.isneginf(scores[[2, 3]]).all()
    assert scores[4] == W_DENSE * dense[4] + rest[4]


def test_a_pruned_sentence_could_only_have_won_with_a_meaning_above_one() -> None:
    rng = np.random.default_rng(7)
    for _ in range(500):
        n = int(rng.integers(1, 30))
        rest = rng.uniform(-0.2, 0.6, n).round(2)  # rounded: ties in rest are common
        dense = rng.uniform(-1.0, 1.0, n).round(1)  # and in meaning
        cached = rng.random(n) < 0.3
        scores, calls = _case(rest, dense, cached)
        expected = W_DENSE * dense + rest
        assert int(np.argmax(scores)) == int(np.argmax(expected))  # the same winner, ties included
        embedded = sorted(i for c in calls for i in c)
        assert embedded == sorted(set(embedded))  # none twice
        left_out = np.setdiff1d(np.arange(n), embedded)
        assert (W_DENSE * DENSE_MAX + rest[left_out] < scores.max()).all()
        assert np.array_equal(scores[embedded], expected[embedded])


def test_cached_sentences_are_scored_first_without_a_seed() -> None:
    rest = np.array([0.1, 0.6, 0.1])
    dense = np.array([0.9, 0.9, 0.1])
    scores, calls = _case(rest, dense, np.array([False, True, False]))
    assert calls == [[1]]  # 1's exact 1.05 beats every other bound (0.6)
    assert int(np.argmax(scores)) == 1
    assert SEED >= 1
