"""What both directions of matching score with: the signals, their weights, and the crosswalk row behind a score.

A candidate's score is Σ weight × signal, each signal in [0, 1] and the weights of one direction summing to 1:
- crosswalk: our 专业类 → 行业 rows meet the other side's GB/T codes (how they meet is the direction's business:
  forward.overlap, reverse.reverse_overlap); `row_weight` says how much a row holds for one 专业;
- name: embedding similarity of the two names, rescaled per query (`rescale`);
- industry, description (forward only): similarity with the target's GB/T names and products, rescaled;
- lexical: one name (or an alias) inside the other (`lexical`);
- evidence: policy passages that mention both (`evidence_signal`).

The weights (FORWARD_WEIGHTS, TEXT_WEIGHTS, REVERSE_WEIGHTS) say below where they were measured.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import TypedDict

import numpy as np
from pydantic import BaseModel, Field

from search_api.matching.index import ClassItem, Link, ReferenceIndex

# bge-small-zh cosine of two names that mean nearly the same (新能源汽车 / 新能源汽车技术 ≈ 0.86): the least
# a query's best candidate is taken to reach when similarities are rescaled (set in 3a277cf).
TOP_COSINE = 0.8
# Passages mentioning both sides that make the evidence signal 1 (one passage counts half; set in 3a277cf).
FULL_EVIDENCE_PASSAGES = 2


@dataclass(frozen=True)
class Weights:
    """How much each signal counts in a score. Non-negative, summing to 1, so that scores stay in [0, 1]."""

    crosswalk: float
    name: float
    industry: float
    description: float
    lexical: float
    evidence: float

    def __post_init__(self) -> None:
        values = [w for _, w in self.items()]
        if min(values) < 0 or abs(sum(values) - 1.0) > 1e-9:
            raise ValueError(f"weights must be non-negative and sum to 1, got {self}")

    def items(self) -> Iterator[tuple[str, float]]:
        """(signal, weight) in a fixed order: crosswalk, name, industry, description, lexical, evidence."""
        for f in fields(self):
            yield f.name, getattr(self, f.name)

    def score(self, columns: SignalColumns) -> list[float]:
        """Σ weight × signal per candidate, rounded to 4 places. A signal the direction does not compute
        (None) adds nothing."""
        total: np.ndarray | int = 0
        for name, weight in self.items():
            column = getattr(columns, name)
            if column is not None:
                total = total + weight * column
        return np.round(total, 4).tolist()


# Where the numbers were measured: each was set by hand, then checked with scripts/eval_matching.py on
# tests/reference/cases.py (the 2 cases, 39 forward and 5 reverse development cases: 46/46 pass, as
# tests/reference/test_match_api.py asserts). "3a277cf" = set when matching was written; "b2deeb1" = set
# with the free-word cases (氢能, 半导体, 托育, …). No sweep around them is recorded.

# 行业/产业链 → 专业 for a chain or a GB/T industry, whose GB/T codes are curated.
FORWARD_WEIGHTS = Weights(
    crosswalk=0.45,  # our reviewed 专业类→行业 rows, the strongest evidence (3a277cf; eval_matching.py)
    name=0.15,  # 专业 name ~ the chain's name and aliases (3a277cf; eval_matching.py)
    industry=0.15,  # 专业 name ~ the GB/T names of the chain's codes (3a277cf; eval_matching.py)
    description=0.10,  # 专业 name ~ the chain's products (3a277cf; eval_matching.py)
    lexical=0.05,  # the chain's name inside the 专业 name, mostly already in `name` (3a277cf; eval_matching.py)
    evidence=0.10,  # passages naming both: sparse, only the loaded texts have them (3a277cf; eval_matching.py)
)
# Free words carry no curated codes, only codes guessed from meaning: there the words themselves count more.
TEXT_WEIGHTS = Weights(
    crosswalk=0.30,  # rows meeting the guessed codes (b2deeb1; eval_matching.py, the free-word cases)
    name=0.30,  # 专业 name ~ the words (b2deeb1; eval_matching.py, the free-word cases)
    industry=0.10,  # 专业 name ~ the guessed codes' GB/T names (b2deeb1; eval_matching.py, the free-word cases)
    description=0.0,  # free words have no products to compare with
    lexical=0.20,  # the words inside the 专业 name (b2deeb1; eval_matching.py, the free-word cases)
    evidence=0.10,  # as FORWARD_WEIGHTS (b2deeb1; eval_matching.py, the free-word cases)
)
# 专业 → 行业: the 专业's own crosswalk rows and the similarity of the two names.
REVERSE_WEIGHTS = Weights(
    crosswalk=0.50,  # the 专业's class rows on the industry's branch (3a277cf; eval_matching.py, REVERSE_CASES)
    name=0.35,  # 专业 name ~ industry name (3a277cf; eval_matching.py, REVERSE_CASES)
    industry=0.0,  # not computed in this direction
    description=0.0,  # not computed in this direction
    lexical=0.05,  # one name inside the other (3a277cf; eval_matching.py, REVERSE_CASES)
    evidence=0.10,  # passages naming both (3a277cf; eval_matching.py, REVERSE_CASES)
)


class SignalValues(TypedDict, total=False):
    """One candidate's signals by name, as `Scored` holds them."""

    crosswalk: float
    name: float
    industry: float
    description: float
    lexical: float
    evidence: float


@dataclass(frozen=True)
class SignalColumns:
    """Every candidate's signals, one array per signal, in candidate order. `industry` and `description`
    are computed in the forward direction only."""

    crosswalk: np.ndarray
    name: np.ndarray
    lexical: np.ndarray
    evidence: np.ndarray
    industry: np.ndarray | None = None
    description: np.ndarray | None = None

    def at(self, k: int) -> SignalValues:
        """Candidate k's signals (the ones computed)."""
        values = SignalValues(
            crosswalk=float(self.crosswalk[k]),
            name=float(self.name[k]),
            lexical=float(self.lexical[k]),
            evidence=float(self.evidence[k]),
        )
        if self.industry is not None:
            values["industry"] = float(self.industry[k])
        if self.description is not None:
            values["description"] = float(self.description[k])
        return values


def rescale(raw: np.ndarray) -> np.ndarray:
    """Median → 0, best → 1, clipped: similarities relative to the other candidates. The top anchor is
    at least TOP_COSINE, so that a weak best match (no candidate really fits) does not count as perfect."""
    if raw.size == 0:
        return raw
    med, top = float(np.median(raw)), max(float(raw.max()), TOP_COSINE)
    if top - med < 1e-6:
        return np.zeros_like(raw)
    return np.clip((raw - med) / (top - med), 0.0, 1.0)


def lexical(terms: Iterable[str], name: str) -> float:
    """1 when a term of two characters or more is inside the name, or the name inside it (护理 / 康复护理)."""
    for term in terms:
        if len(term) >= 2 and (term in name or name in term):
            return 1.0
    return 0.0


def evidence_signal(evidence: Mapping[str, Sequence[str]], names: Sequence[str]) -> np.ndarray:
    """Per name: the passages that mention it and the other side, FULL_EVIDENCE_PASSAGES of them counting 1."""
    if not evidence:
        return np.zeros(len(names))
    counts = np.array([len(evidence.get(n, ())) for n in names], dtype=float)
    return np.minimum(1.0, counts / FULL_EVIDENCE_PASSAGES)


def row_weight(link: Link, specialty_id: str) -> float:
    """The weight of a crosswalk row for one 专业 of its class. A row that lists particular 专业 states
    *their* industry: full weight for them (its role says how central the industry is to the class),
    half its role's weight for the class's other 专业. A row listing none (or none of this level's)
    holds for the class as a whole, with its role's weight."""
    if not link.named_ids:
        return link.weight
    return 1.0 if specialty_id in link.named_ids else link.weight * 0.5


class CrosswalkHit(BaseModel):
    """The crosswalk row a score's crosswalk signal rests on, and the code it met."""

    class_name: str
    class_code: str
    industry_code: str
    industry_name: str
    role: str
    reason: str
    via_code: str  # the other side's code the row met
    via_name: str
    overlap: float


def crosswalk_hit(index: ReferenceIndex, cls: ClassItem, row: Link, via_code: str, overlap: float) -> CrosswalkHit:
    row_ind = index.industries.get(row.code)
    via_ind = index.industries.get(via_code)
    return CrosswalkHit(
        class_name=cls.name,
        class_code=cls.code,
        industry_code=row.code,
        industry_name=row_ind.name if row_ind else "",
        role=row.role,
        reason=row.reason,
        via_code=via_code,
        via_name=via_ind.name if via_ind else "",
        overlap=overlap,
    )


class Scored(BaseModel):
    """One candidate with its signals; `score` is the weighted sum."""

    score: float
    crosswalk: float = 0.0
    name: float = 0.0
    industry: float = 0.0
    description: float = 0.0
    lexical: float = 0.0
    evidence: float = 0.0
    crosswalk_hit: CrosswalkHit | None = None
    name_cosine: float = 0.0
    best_phrase: str | None = None  # the product/description phrase most similar to the candidate
    best_industry: str | None = None  # "code name" of the most similar linked industry
    industry_cosine: float = 0.0
    passages: list[str] = Field(default_factory=list)
