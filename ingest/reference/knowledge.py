"""Our curated knowledge in corpora/knowledge/: Hunan industry chains, their GB/T 4754 codes, and the
专业类 → 行业 crosswalk. Parsed, validated against the imported catalogues, turned into graph rows.

Every row carries a source note; validation refuses unknown codes, names that disagree with the
standard, classes the catalogue does not have, and chains without any industry.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from graph.models import Entity, Relation
from ingest.reference.errors import ReferenceDataInvalid
from ingest.reference.ids import chain_id, industry_id, specialty_class_id
from ingest.reference.models import (
    ChainIndustryLink,
    CrosswalkRow,
    DatasetReport,
    Industry,
    IndustryChain,
    IndustryTree,
    SpecialtyCatalogue,
)

CHAINS_ORIGIN = "knowledge:industry-chains"
CROSSWALK_ORIGIN = "knowledge:crosswalk"
CHAINS_FILE = "industry_chains.csv"
CHAIN_LINKS_FILE = "industry_chain_industries.csv"
CROSSWALK_FILE = "specialty_class_crosswalk.csv"
# How strongly a curated link binds: a chain's supporting industries (配套) still belong to the chain;
# a class's related industries (相关) are where some of its graduates go.
ROLE_WEIGHT = {"核心": 1.0, "主要": 1.0, "配套": 0.75, "相关": 0.6}

Row = TypeVar("Row", bound=BaseModel)


def _read(path: Path, model: type[Row]) -> list[Row]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            raw = list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError) as exc:
        raise ReferenceDataInvalid(f"{path}: cannot read ({exc})") from exc
    rows: list[Row] = []
    for n, row in enumerate(raw, start=2):
        values: dict[str, object] = {k: (v or "").strip() for k, v in row.items() if k}
        for key in ("aliases", "products", "specialties"):
            if key in values:
                values[key] = [a.strip() for a in str(values[key]).split(";") if a.strip()]
        try:
            rows.append(model.model_validate(values))
        except ValidationError as exc:
            raise ReferenceDataInvalid(f"{path.name}:{n}: {exc.errors()[0]['loc']} {exc.errors()[0]['msg']}") from exc
        if not str(values.get("source", "")).strip():
            raise ReferenceDataInvalid(f"{path.name}:{n}: every row needs a source note")
    return rows


def parse_chains(knowledge_dir: Path) -> tuple[list[IndustryChain], list[ChainIndustryLink]]:
    return _read(knowledge_dir / CHAINS_FILE, IndustryChain), _read(knowledge_dir / CHAIN_LINKS_FILE, ChainIndustryLink)


def parse_crosswalk(knowledge_dir: Path) -> list[CrosswalkRow]:
    return _read(knowledge_dir / CROSSWALK_FILE, CrosswalkRow)


def _check_industry(code: str, name: str, by_code: dict[str, Industry], where: str) -> None:
    ind = by_code.get(code)
    if ind is None:
        raise ReferenceDataInvalid(f"{where}: {code} is not a GB/T 4754-2017 code")
    # Some copies truncate long names; accept the standard's name or a prefix-truncation of it.
    if name and name != ind.name and not name.startswith(ind.name):
        raise ReferenceDataInvalid(f"{where}: {code} is {ind.name!r} in the standard, not {name!r}")


def validate_chains(chains: list[IndustryChain], links: list[ChainIndustryLink], tree: IndustryTree) -> None:
    names = [c.name for c in chains]
    if len(set(names)) != len(names):
        raise ReferenceDataInvalid(f"{CHAINS_FILE}: duplicate chain names")
    known = set(names)
    by_code = tree.by_code()
    for link in links:
        if link.chain not in known:
            raise ReferenceDataInvalid(f"{CHAIN_LINKS_FILE}: chain {link.chain!r} is not in {CHAINS_FILE}")
        _check_industry(link.industry_code, link.industry_name, by_code, f"{CHAIN_LINKS_FILE} ({link.chain})")
    unmapped = known - {link.chain for link in links}
    if unmapped:
        raise ReferenceDataInvalid(f"{CHAIN_LINKS_FILE}: chains without any industry: {sorted(unmapped)}")


def validate_crosswalk(rows: list[CrosswalkRow], tree: IndustryTree, catalogue: SpecialtyCatalogue) -> list[str]:
    """Check codes and class names; return the catalogue's classes that no row covers (should be none)."""
    associate = {c.code: c.name for c in catalogue.classes if c.level == "高职专科"}
    by_code = tree.by_code()
    class_of = {(c.level, c.code): c.name for c in catalogue.classes}
    names_in_class: dict[str, set[str]] = {}
    for s in catalogue.specialties:
        names_in_class.setdefault(class_of[(s.level, s.class_code)], set()).add(s.name)
    for row in rows:
        where = f"{CROSSWALK_FILE} ({row.class_code} {row.class_name})"
        if associate and associate.get(row.class_code) != row.class_name:
            raise ReferenceDataInvalid(
                f"{where}: the catalogue's 高职专科 class {row.class_code} is {associate.get(row.class_code)!r}"
            )
        _check_industry(row.industry_code, row.industry_name, by_code, where)
        strangers = [n for n in row.specialties if n not in names_in_class.get(row.class_name, set())]
        if strangers and catalogue.specialties:
            raise ReferenceDataInvalid(f"{where}: {strangers} are not 专业 of {row.class_name}")
    covered = {r.class_name for r in rows}
    return sorted(f"{c.level} {c.code} {c.name}" for c in catalogue.classes if c.name not in covered)


def chain_graph(
    chains: list[IndustryChain], links: list[ChainIndustryLink], tree: IndustryTree
) -> tuple[list[Entity], list[Relation]]:
    by_code = tree.by_code()
    entities = [
        Entity(
            id=chain_id(c.name),
            label="IndustryChain",
            name=c.name,
            properties={
                "region": c.region,
                "aliases": c.aliases,
                "description": c.description,
                "products": c.products,
                "source": c.source,
            },
        )
        for c in chains
    ]
    relations = [
        Relation(
            source=chain_id(link.chain),
            target=industry_id(by_code[link.industry_code].section, link.industry_code),
            type="MAPS_TO",
            properties={
                "role": link.role,
                "weight": ROLE_WEIGHT[link.role],
                "reason": link.reason,
                "source": link.source,
            },
        )
        for link in links
    ]
    return entities, relations


def crosswalk_graph(rows: list[CrosswalkRow], tree: IndustryTree, catalogue: SpecialtyCatalogue) -> list[Relation]:
    """class → industry MAPS_TO for the class at every level that has it (same 专业类 name)."""
    by_code = tree.by_code()
    classes_by_name: dict[str, list[tuple[str, str]]] = {}
    for c in catalogue.classes:
        classes_by_name.setdefault(c.name, []).append((c.level, c.code))
    relations: list[Relation] = []
    for row in rows:
        target = industry_id(by_code[row.industry_code].section, row.industry_code)
        for level, code in classes_by_name.get(row.class_name, []):
            relations.append(
                Relation(
                    source=specialty_class_id(level, code),
                    target=target,
                    type="MAPS_TO",
                    properties={
                        "role": row.role,
                        "weight": ROLE_WEIGHT[row.role],
                        "specialties": row.specialties,
                        "reason": row.reason,
                        "source": row.source,
                    },
                )
            )
    return relations


def knowledge_report(
    dataset: str, origin: str, source: Path, counts: dict[str, int], warnings: list[str], entities: int, relations: int
) -> DatasetReport:
    return DatasetReport(
        dataset=dataset,
        origin=origin,
        source=str(source),
        counts=counts,
        warnings=warnings,
        entities=entities,
        relations=relations,
    )
