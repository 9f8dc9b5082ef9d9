"""职业教育专业目录（2021年）: parse the CSV, validate it, turn it into Specialty/Class/Category nodes.

The CSV has one row per item (CATEGORY, CLASS, MAJOR) and the columns of the shared copy
(catalogCode, educationLevel, categoryCode, categoryName, classCode, className, majorCode, majorName,
parentCode, itemLevel, source). A user's own copy of the official catalogue must use the same columns.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

from graph.models import Entity, Relation
from ingest.reference.errors import ReferenceDataInvalid
from ingest.reference.ids import specialty_category_id, specialty_class_id, specialty_id
from ingest.reference.models import (
    SPECIALTY_LEVELS,
    DatasetReport,
    Specialty,
    SpecialtyCatalogue,
    SpecialtyCategory,
    SpecialtyClass,
    SpecialtyLevel,
)

ORIGIN = "reference:specialty-catalogue"
FILE_NAME = "vocational-2021.csv"
COLUMNS = ("educationLevel", "categoryCode", "classCode", "majorCode", "majorName", "parentCode", "itemLevel")
LEVEL_BY_SOURCE: dict[str, SpecialtyLevel] = {
    "VOCATIONAL_SECONDARY": "中职",
    "VOCATIONAL_ASSOCIATE": "高职专科",
    "VOCATIONAL_BACHELOR": "职业本科",
}
# First two code digits of each level's 专业大类 (教职成〔2021〕2号: 中职 61–79, 高职专科 41–59, 职业本科 21–39).
CATEGORY_RANGE: dict[SpecialtyLevel, range] = {
    "中职": range(61, 80),
    "高职专科": range(41, 60),
    "职业本科": range(21, 40),
}
# Counts of the official 2021 edition; a later edition (增补专业) differs, which is reported, not refused.
EXPECTED: dict[str, int] = {
    "专业大类/中职": 19,
    "专业大类/高职专科": 19,
    "专业大类/职业本科": 19,
    "专业类/中职": 88,
    "专业类/高职专科": 97,
    "专业类/职业本科": 90,
    "专业/中职": 358,
    "专业/高职专科": 744,
    "专业/职业本科": 247,
}
_CATEGORY = re.compile(r"\d{2}")
_CLASS = re.compile(r"\d{4}")
_MAJOR = re.compile(r"\d{6}K?")


def parse_catalogue(path: Path) -> SpecialtyCatalogue:
    """Read and validate the catalogue; raises ReferenceDataInvalid naming the first bad row."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise ReferenceDataInvalid(f"{path.name}: missing columns {missing}")
            rows = list(reader)
    except UnicodeDecodeError as exc:
        raise ReferenceDataInvalid(f"{path.name}: not UTF-8 ({exc})") from exc
    cat = SpecialtyCatalogue()
    for n, row in enumerate(rows, start=2):
        _add_row(cat, row, f"{path.name}:{n}")
    _check_parents(cat)
    return cat


def _add_row(cat: SpecialtyCatalogue, row: dict[str, str], where: str) -> None:
    level = LEVEL_BY_SOURCE.get(row["educationLevel"].strip())
    if level is None:
        raise ReferenceDataInvalid(f"{where}: unknown educationLevel {row['educationLevel']!r}")
    kind = row["itemLevel"].strip()
    code = row["majorCode"].strip()
    name = row["majorName"].strip()
    if not name:
        raise ReferenceDataInvalid(f"{where}: empty name for code {code!r}")
    if kind == "CATEGORY":
        if not _CATEGORY.fullmatch(code) or int(code) not in CATEGORY_RANGE[level]:
            raise ReferenceDataInvalid(f"{where}: bad 专业大类 code {code!r} for {level}")
        cat.categories.append(SpecialtyCategory(code=code, name=name, level=level))
    elif kind == "CLASS":
        parent = row["parentCode"].strip() or row["categoryCode"].strip()
        if not _CLASS.fullmatch(code) or not code.startswith(parent):
            raise ReferenceDataInvalid(f"{where}: bad 专业类 code {code!r} (parent {parent!r})")
        cat.classes.append(SpecialtyClass(code=code, name=name, level=level, category_code=parent))
    elif kind == "MAJOR":
        parent = row["parentCode"].strip() or row["classCode"].strip()
        if not _MAJOR.fullmatch(code) or not code.startswith(parent):
            raise ReferenceDataInvalid(f"{where}: bad 专业 code {code!r} (parent {parent!r})")
        cat.specialties.append(
            Specialty(
                code=code,
                name=name,
                level=level,
                class_code=parent,
                category_code=parent[:2],
                controlled=code.endswith("K"),
            )
        )
    else:
        raise ReferenceDataInvalid(f"{where}: unknown itemLevel {kind!r}")


def _check_parents(cat: SpecialtyCatalogue) -> None:
    categories = {(c.level, c.code) for c in cat.categories}
    classes = {(c.level, c.code) for c in cat.classes}
    for kind, keys in (
        ("专业大类", [(c.level, c.code) for c in cat.categories]),
        ("专业类", [(c.level, c.code) for c in cat.classes]),
        ("专业", [(s.level, s.code) for s in cat.specialties]),
    ):
        dupes = [k for k, n in Counter(keys).items() if n > 1]
        if dupes:
            raise ReferenceDataInvalid(f"duplicate {kind} codes: {dupes[:5]}")
    for c in cat.classes:
        if (c.level, c.category_code) not in categories:
            raise ReferenceDataInvalid(f"专业类 {c.code} {c.name}: no 专业大类 {c.category_code} at {c.level}")
    for s in cat.specialties:
        if (s.level, s.class_code) not in classes:
            raise ReferenceDataInvalid(f"专业 {s.code} {s.name}: no 专业类 {s.class_code} at {s.level}")
    if not cat.specialties:
        raise ReferenceDataInvalid("the catalogue holds no 专业")


def catalogue_counts(cat: SpecialtyCatalogue) -> dict[str, int]:
    counts: dict[str, int] = {}
    for level in SPECIALTY_LEVELS:
        counts[f"专业大类/{level}"] = sum(1 for c in cat.categories if c.level == level)
        counts[f"专业类/{level}"] = sum(1 for c in cat.classes if c.level == level)
        counts[f"专业/{level}"] = sum(1 for s in cat.specialties if s.level == level)
    return counts


def catalogue_graph(cat: SpecialtyCatalogue) -> tuple[list[Entity], list[Relation]]:
    category_names = {(c.level, c.code): c.name for c in cat.categories}
    class_names = cat.class_names()
    entities: list[Entity] = []
    relations: list[Relation] = []
    for c in cat.categories:
        entities.append(
            Entity(
                id=specialty_category_id(c.level, c.code),
                label="SpecialtyCategory",
                name=c.name,
                properties={"code": c.code, "level": c.level},
            )
        )
    for k in cat.classes:
        entities.append(
            Entity(
                id=specialty_class_id(k.level, k.code),
                label="SpecialtyClass",
                name=k.name,
                properties={"code": k.code, "level": k.level, "category_code": k.category_code},
            )
        )
        relations.append(
            Relation(
                source=specialty_class_id(k.level, k.code),
                target=specialty_category_id(k.level, k.category_code),
                type="IN_CATEGORY",
            )
        )
    for s in cat.specialties:
        sid = specialty_id(s.level, s.code)
        entities.append(
            Entity(
                id=sid,
                label="Specialty",
                name=s.name,
                properties={
                    "code": s.code,
                    "level": s.level,
                    "class_code": s.class_code,
                    "class_name": class_names[(s.level, s.class_code)],
                    "category_code": s.category_code,
                    "category_name": category_names[(s.level, s.category_code)],
                    "controlled": s.controlled,
                },
            )
        )
        relations.append(Relation(source=sid, target=specialty_class_id(s.level, s.class_code), type="IN_CLASS"))
        relations.append(
            Relation(source=sid, target=specialty_category_id(s.level, s.category_code), type="IN_CATEGORY")
        )
    return entities, relations


def catalogue_report(cat: SpecialtyCatalogue, source: Path, entities: int, relations: int) -> DatasetReport:
    counts = catalogue_counts(cat)
    return DatasetReport.against_edition(
        dataset="职业教育专业目录",
        origin=ORIGIN,
        source=source,
        counts=counts,
        expected=EXPECTED,
        edition="the 2021 edition",
        entities=entities,
        relations=relations,
    )
