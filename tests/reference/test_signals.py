"""The signals both matching directions share, and how their weights combine them (no model, no store: a tiny
index and an embedder that maps each name to a fixed vector)."""

from __future__ import annotations

import numpy as np
import pytest

from search_api.matching.forward import IndustryQuery, score_specialties
from search_api.matching.index import ClassItem, IndustryItem, Link, ReferenceIndex, SpecialtyItem
from search_api.matching.reverse import score_industries
from search_api.matching.signals import (
    FORWARD_WEIGHTS,
    REVERSE_WEIGHTS,
    TEXT_WEIGHTS,
    TOP_COSINE,
    Scored,
    SignalColumns,
    Weights,
    crosswalk_hit,
    evidence_signal,
    lexical,
    rescale,
)
from search_api.matching.vectors import NameVectors

SIGNALS = ("crosswalk", "name", "industry", "description", "lexical", "evidence")


# -- rescaling ------------------------------------------------------------------------------------
def test_rescale_maps_the_median_to_0_and_the_best_to_1() -> None:
    scaled = rescale(np.array([0.1, 0.3, 0.5, 0.65, 0.8]))  # median 0.5; below it, clipped to 0
    assert scaled.tolist() == pytest.approx([0.0, 0.0, 0.0, 0.5, 1.0])


def test_rescale_anchors_a_weak_best_at_top_cosine() -> None:
    raw = np.array([0.3, 0.4, 0.5])  # the best is far below TOP_COSINE: nothing really fits
    scaled = rescale(raw)
    assert scaled[-1] == pytest.approx((0.5 - 0.4) / (TOP_COSINE - 0.4))
    assert scaled.max() < 1.0


def test_rescale_of_equal_or_no_values() -> None:
    assert rescale(np.array([0.9, 0.9, 0.9])).tolist() == [0.0, 0.0, 0.0]
    assert rescale(np.array([])).size == 0


# -- lexical and evidence -------------------------------------------------------------------------
def test_lexical_needs_two_characters_either_way_round() -> None:
    assert lexical(["护理"], "护理") == 1.0
    assert lexical(["康复护理"], "护理") == 1.0  # the name inside the term
    assert lexical(["护"], "护理") == 0.0  # one character says nothing
    assert lexical([], "护理") == 0.0


def test_evidence_counts_two_passages_fully() -> None:
    evidence = {"护理": ["p1"], "康养": ["p1", "p2"], "数控技术": ["p1", "p2", "p3"]}
    assert evidence_signal(evidence, ["护理", "康养", "数控技术", "烹饪"]).tolist() == [0.5, 1.0, 1.0, 0.0]
    assert evidence_signal({}, ["护理", "康养"]).tolist() == [0.0, 0.0]


# -- weights --------------------------------------------------------------------------------------
@pytest.mark.parametrize("weights", [FORWARD_WEIGHTS, TEXT_WEIGHTS, REVERSE_WEIGHTS])
def test_each_direction_weighs_to_one(weights: Weights) -> None:
    assert [name for name, _ in weights.items()] == list(SIGNALS)
    assert sum(w for _, w in weights.items()) == pytest.approx(1.0)


def test_the_weights_are_todays_numbers() -> None:
    assert dict(FORWARD_WEIGHTS.items()) == {
        "crosswalk": 0.45, "name": 0.15, "industry": 0.15, "description": 0.10, "lexical": 0.05, "evidence": 0.10,
    }  # fmt: skip
    assert dict(TEXT_WEIGHTS.items()) == {
        "crosswalk": 0.30, "name": 0.30, "industry": 0.10, "description": 0.0, "lexical": 0.20, "evidence": 0.10,
    }  # fmt: skip
    assert dict(REVERSE_WEIGHTS.items()) == {
        "crosswalk": 0.50, "name": 0.35, "industry": 0.0, "description": 0.0, "lexical": 0.05, "evidence": 0.10,
    }  # fmt: skip


def test_weights_must_be_non_negative_and_sum_to_one() -> None:
    with pytest.raises(ValueError):
        Weights(crosswalk=0.5, name=0.5, industry=0.5, description=0.0, lexical=0.0, evidence=0.0)
    with pytest.raises(ValueError):
        Weights(crosswalk=1.2, name=-0.2, industry=0.0, description=0.0, lexical=0.0, evidence=0.0)
    with pytest.raises(AttributeError):  # frozen
        FORWARD_WEIGHTS.crosswalk = 1.0  # type: ignore[misc]


def test_score_is_the_weighted_sum_rounded() -> None:
    columns = SignalColumns(
        crosswalk=np.array([1.0, 0.0, 0.35]),
        name=np.array([0.5, 1.0, 0.123456]),
        industry=np.array([0.2, 0.0, 0.0]),
        description=np.array([0.0, 1.0, 0.0]),
        lexical=np.array([1.0, 0.0, 0.0]),
        evidence=np.array([0.5, 0.0, 1.0]),
    )
    expected = [round(sum(w * float(getattr(columns, n)[k]) for n, w in FORWARD_WEIGHTS.items()), 4) for k in range(3)]
    assert FORWARD_WEIGHTS.score(columns) == pytest.approx(expected, abs=1e-9)
    assert FORWARD_WEIGHTS.score(columns)[0] == pytest.approx(0.45 + 0.075 + 0.03 + 0.05 + 0.05)


def test_signals_a_direction_does_not_compute_add_nothing() -> None:
    columns = SignalColumns(
        crosswalk=np.array([1.0, 0.2]), name=np.array([0.0, 1.0]), lexical=np.array([0.0, 1.0]), evidence=np.zeros(2)
    )
    assert REVERSE_WEIGHTS.score(columns) == pytest.approx([0.5, 0.1 + 0.35 + 0.05])
    assert set(columns.at(1)) == {"crosswalk", "name", "lexical", "evidence"}
    assert columns.at(1) == {"crosswalk": 0.2, "name": 1.0, "lexical": 1.0, "evidence": 0.0}


# -- both directions combine their signals with their weights ----------------------------------------
class _FixedEmbedder:
    """Each name has a fixed 3-d vector (names not listed point one way, far from the others)."""

    dimension = 3

    def __init__(self, vectors: dict[str, list[float]]) -> None:
        self._vectors = vectors

    def start(self) -> None:
        pass

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        return [self._vectors.get(t, [0.0, 0.0, 1.0]) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_passages([text])[0]


def _spec(code: str, name: str) -> SpecialtyItem:
    return SpecialtyItem(
        id=f"specialty:高职专科:{code}",
        code=code,
        name=name,
        level="高职专科",
        class_id="specialty-class:高职专科:4603",
        class_name="自动化类",
        category_name="装备制造大类",
    )


@pytest.fixture
def index() -> ReferenceIndex:
    industries = {
        code: IndustryItem(id=f"industry:C{code}", code=code, name=name, level=level, section="C", parent_code=parent)
        for code, name, level, parent in [
            ("35", "专用设备制造业", "大类", "C"),
            ("351", "采矿、冶金、建筑专用设备制造", "中类", "35"),
            ("3514", "建筑工程用机械制造", "小类", "351"),
            ("36", "汽车制造业", "大类", "C"),
        ]
    }
    automation = ClassItem(
        id="specialty-class:高职专科:4603",
        code="4603",
        name="自动化类",
        level="高职专科",
        links=[Link(code="35", weight=1.0, role="主要", reason="装备")],
    )
    return ReferenceIndex(
        specialties=[_spec("460301", "机电一体化技术"), _spec("460309", "液压与气动技术"), _spec("460399", "工程机械")],
        industries=industries,
        classes={automation.id: automation},
        children={"35": ["351"], "351": ["3514"]},
    )


@pytest.fixture
def vectors() -> NameVectors:
    embedder = _FixedEmbedder(
        {
            "工程机械": [1.0, 0.0, 0.0],
            "机电一体化技术": [0.8, 0.6, 0.0],
            "液压与气动技术": [0.6, 0.8, 0.0],
            "建筑工程用机械制造": [0.9, 0.1, 0.0],
            "专用设备制造业": [0.7, 0.7, 0.0],
        }
    )
    return NameVectors(embedder, "fixed", None)


def _weighted(scored: Scored, weights: Weights) -> float:
    return round(sum(w * getattr(scored, name) for name, w in weights.items()), 4)


@pytest.mark.parametrize(("kind", "weights"), [("chain", FORWARD_WEIGHTS), ("text", TEXT_WEIGHTS)])
def test_forward_scores_combine_the_signals_with_their_weights(
    index: ReferenceIndex, vectors: NameVectors, kind: str, weights: Weights
) -> None:
    query = IndustryQuery(
        kind=kind,  # type: ignore[arg-type]
        name="工程机械",
        terms=["工程机械"],
        phrases=["液压与气动技术"],
        links=[Link(code="3514", weight=1.0, role="核心")],
    )
    evidence = {"液压与气动技术": ["p1"]}
    scored = score_specialties(index, vectors, query, index.specialties, evidence)
    assert [s.rank for s in scored] == [1, 2, 3]
    for s in scored:
        assert s.score == pytest.approx(_weighted(s, weights), abs=1e-4)
    by_name = {s.specialty.name: s for s in scored}
    assert by_name["工程机械"].lexical == 1.0 and by_name["机电一体化技术"].lexical == 0.0
    assert by_name["液压与气动技术"].evidence == 0.5 and by_name["液压与气动技术"].passages == ["p1"]
    hit = by_name["机电一体化技术"].crosswalk_hit
    assert hit is not None and (hit.industry_code, hit.via_code, hit.via_name) == ("35", "3514", "建筑工程用机械制造")
    assert by_name["机电一体化技术"].crosswalk == pytest.approx(0.7)  # 35 meets 3514 two levels down


def test_reverse_scores_combine_the_signals_with_their_weights(index: ReferenceIndex, vectors: NameVectors) -> None:
    spec = index.specialties[0]  # 机电一体化技术
    scored = score_industries(index, vectors, spec, {"专用设备制造业": ["p1", "p2"]})
    for s in scored:
        assert s.score == pytest.approx(_weighted(s, REVERSE_WEIGHTS), abs=1e-4)
        assert s.industry == 0.0 and s.description == 0.0
    best = scored[0]
    assert best.item.code == "35" and best.evidence == 1.0 and best.crosswalk == 1.0
    assert best.crosswalk_hit is not None and best.crosswalk_hit.via_name == "专用设备制造业"


def test_crosswalk_hit_names_both_codes(index: ReferenceIndex) -> None:
    cls = index.classes["specialty-class:高职专科:4603"]
    hit = crosswalk_hit(index, cls, cls.links[0], "9999", 0.5)
    assert (hit.class_name, hit.industry_name, hit.role, hit.reason) == ("自动化类", "专用设备制造业", "主要", "装备")
    assert hit.via_code == "9999" and hit.via_name == "" and hit.overlap == 0.5
