"""Typed rows of the reference catalogues and of our curated knowledge, plus the import report."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

# The levels are the graph schema's (graph.models); importers and matching read them from here too.
from graph.models import INDUSTRY_LEVELS as INDUSTRY_LEVELS
from graph.models import SPECIALTY_LEVELS as SPECIALTY_LEVELS
from graph.models import IndustryLevel as IndustryLevel
from graph.models import SchoolLevel
from graph.models import SpecialtyLevel as SpecialtyLevel

CrosswalkRole = Literal["主要", "相关"]


class SpecialtyCategory(BaseModel):
    """专业大类."""

    code: str
    name: str
    level: SpecialtyLevel


class SpecialtyClass(BaseModel):
    """专业类."""

    code: str
    name: str
    level: SpecialtyLevel
    category_code: str


class Specialty(BaseModel):
    """专业. `controlled` marks the 国家控制布点专业 (codes ending in K)."""

    code: str
    name: str
    level: SpecialtyLevel
    class_code: str
    category_code: str
    controlled: bool = False


class SpecialtyCatalogue(BaseModel):
    categories: list[SpecialtyCategory] = Field(default_factory=list)
    classes: list[SpecialtyClass] = Field(default_factory=list)
    specialties: list[Specialty] = Field(default_factory=list)

    def class_names(self) -> dict[tuple[SpecialtyLevel, str], str]:
        return {(c.level, c.code): c.name for c in self.classes}


class Industry(BaseModel):
    """One node of the GB/T 4754-2017 tree. `section` is its 门类 letter."""

    code: str
    name: str
    level: IndustryLevel
    section: str
    parent_code: str | None = None


class IndustryTree(BaseModel):
    industries: list[Industry] = Field(default_factory=list)

    def by_code(self) -> dict[str, Industry]:
        return {i.code: i for i in self.industries}


class Institution(BaseModel):
    """A higher-education institution from the MoE list."""

    name: str
    code: str  # 学校标识码
    authority: str  # 主管部门
    city: str  # 所在地
    province: str
    level: SchoolLevel
    note: str = ""  # 备注: 民办, 中外合作办学 …


class IndustryChain(BaseModel):
    """A Hunan industry chain (our knowledge, corpora/knowledge/industry_chains.csv)."""

    name: str
    aliases: list[str] = Field(default_factory=list)
    region: str = "湖南省"
    description: str
    products: list[str] = Field(default_factory=list)  # products, parts and services the chain makes
    source: str


class ChainIndustryLink(BaseModel):
    """chain → GB/T code it spans (corpora/knowledge/industry_chain_industries.csv)."""

    chain: str
    industry_code: str
    industry_name: str
    role: Literal["核心", "配套"]
    reason: str
    source: str


class CrosswalkRow(BaseModel):
    """专业类 → the GB/T 大类/中类 it mainly serves (corpora/knowledge/specialty_class_crosswalk.csv).

    Rows are keyed by the 专业类 name: the same name denotes the same 专业类 at 中职, 高职专科 and 职业本科
    (only the first two code digits differ), so one row covers the class at every level that has it.
    """

    class_code: str  # the 高职专科 code, for readers; the loader checks it against the name
    class_name: str
    industry_code: str
    industry_name: str
    role: CrosswalkRole
    # The 专业 this row is about (exact catalogue names, any level); empty: the class as a whole.
    specialties: list[str] = Field(default_factory=list)
    reason: str
    source: str


class DatasetReport(BaseModel):
    """What one importer loaded, from where, and what did not look like the official edition."""

    dataset: str
    origin: str
    source: str
    counts: dict[str, int] = Field(default_factory=dict)
    expected: dict[str, int] = Field(default_factory=dict)
    warnings: list[str] = Field(default_factory=list)
    entities: int = 0
    relations: int = 0

    @classmethod
    def against_edition(
        cls,
        *,
        dataset: str,
        origin: str,
        source: Path,
        counts: dict[str, int],
        expected: dict[str, int],
        edition: str,
        entities: int,
        relations: int,
    ) -> DatasetReport:
        """A report whose warnings name every count that differs from the official edition."""
        warnings = [
            f"{key}: {counts.get(key, 0)} loaded, {edition} has {n}"
            for key, n in expected.items()
            if counts.get(key, 0) != n
        ]
        return cls(
            dataset=dataset,
            origin=origin,
            source=str(source),
            counts=counts,
            expected=dict(expected),
            warnings=warnings,
            entities=entities,
            relations=relations,
        )


class ReferenceReport(BaseModel):
    reference_dir: str | None = None
    datasets: list[DatasetReport] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    def lines(self) -> list[str]:
        out = []
        for d in self.datasets:
            counts = ", ".join(f"{k} {v}" for k, v in d.counts.items())
            out.append(f"{d.dataset}: {counts} · entities {d.entities} · relations {d.relations} ({d.source})")
            out.extend(f"  warning: {w}" for w in d.warnings)
        out.extend(f"warning: {w}" for w in self.warnings)
        return out
