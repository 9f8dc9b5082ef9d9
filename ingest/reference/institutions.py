"""教育部《全国普通高等学校名单》: parse (CSV as published, or the JSON by province), validate, build school nodes.

Schools become Organization(kind=school) nodes, LOCATED_IN their province (a Region node); Hunan's
are marked (`hunan: true`) so that researchers can select them directly.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from graph.models import Entity, Relation
from ingest.reference.errors import ReferenceDataInvalid
from ingest.reference.ids import region_id, school_id
from ingest.reference.models import DatasetReport, Institution

ORIGIN = "reference:institutions"
FILE_NAMES = ("moe_higher_education_institutions_2017.csv", "moe_higher_education_institutions_2017.json")
HUNAN = "湖南省"
# The 2017-05-31 list: 2631 institutions; Hunan 124, of which 73 专科.
EXPECTED: dict[str, int] = {"院校": 2631, "湖南院校": 124, "湖南专科": 73}
_PROVINCE_HEADER = re.compile(r"^\s*(\S+?)\s*[（(](\d+)所[)）]\s*$")
_SCHOOL_CODE = re.compile(r"\d{10}")


def parse_institutions(path: Path) -> list[Institution]:
    if path.suffix.lower() == ".json":
        return _parse_json(path)
    return _parse_csv(path)


def _parse_csv(path: Path) -> list[Institution]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
    except UnicodeDecodeError as exc:
        raise ReferenceDataInvalid(f"{path.name}: not UTF-8 ({exc})") from exc
    out: list[Institution] = []
    declared: dict[str, int] = {}
    province: str | None = None
    for n, row in enumerate(rows, start=1):
        first = row[0].strip() if row else ""
        header = _PROVINCE_HEADER.match(first)
        if header and not any(c.strip() for c in row[1:]):
            province = header.group(1)
            declared[province] = int(header.group(2))
        elif first.isdigit():
            if province is None or len(row) < 6:
                raise ReferenceDataInvalid(f"{path.name}:{n}: school row outside a province block")
            out.append(
                _institution(
                    row[1], row[2], row[3], row[4], row[5], row[6] if len(row) > 6 else "", province, f"{path.name}:{n}"
                )
            )
    _check(out, declared, path.name)
    return out


def _parse_json(path: Path) -> list[Institution]:
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReferenceDataInvalid(f"{path.name}: not JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise ReferenceDataInvalid(f"{path.name}: expected {{province: [schools]}}")
    out: list[Institution] = []
    for province, schools in data.items():
        for i, s in enumerate(schools):
            try:
                out.append(
                    _institution(
                        s["学校名称"],
                        s["学校标识码"],
                        s["主管部门"],
                        s["所在地"],
                        s["办学层次"],
                        s.get("备注", ""),
                        province,
                        f"{path.name}:{province}[{i}]",
                    )
                )
            except (KeyError, TypeError) as exc:
                raise ReferenceDataInvalid(f"{path.name}:{province}[{i}]: missing field {exc}") from exc
    _check(out, {}, path.name)
    return out


def _institution(
    name: str, code: str, authority: str, city: str, level: str, note: str, province: str, where: str
) -> Institution:
    name, code, level = name.strip(), code.strip(), level.strip()
    if not name or not _SCHOOL_CODE.fullmatch(code):
        raise ReferenceDataInvalid(f"{where}: bad school row {name!r} {code!r}")
    if level not in ("本科", "专科"):
        raise ReferenceDataInvalid(f"{where}: 办学层次 {level!r} is neither 本科 nor 专科")
    return Institution(
        name=name,
        code=code,
        authority=authority.strip(),
        city=city.strip(),
        province=province,
        level=level,  # type: ignore[arg-type]
        note=note.strip(),
    )


def _check(schools: list[Institution], declared: dict[str, int], where: str) -> None:
    if not schools:
        raise ReferenceDataInvalid(f"{where}: no institutions found")
    for kind, values in (("name", [s.name for s in schools]), ("学校标识码", [s.code for s in schools])):
        dupes = [v for v, n in Counter(values).items() if n > 1]
        if dupes:
            raise ReferenceDataInvalid(f"{where}: duplicate {kind}: {dupes[:5]}")
    per_province = Counter(s.province for s in schools)
    for province, n in declared.items():
        if per_province[province] != n:
            raise ReferenceDataInvalid(f"{where}: {province} declares {n} schools but lists {per_province[province]}")


def institution_counts(schools: list[Institution]) -> dict[str, int]:
    hunan = [s for s in schools if s.province == HUNAN]
    return {
        "院校": len(schools),
        "省份": len({s.province for s in schools}),
        "湖南院校": len(hunan),
        "湖南本科": sum(1 for s in hunan if s.level == "本科"),
        "湖南专科": sum(1 for s in hunan if s.level == "专科"),
    }


def institution_graph(schools: list[Institution]) -> tuple[list[Entity], list[Relation]]:
    entities: list[Entity] = []
    relations: list[Relation] = []
    for province in sorted({s.province for s in schools}):
        entities.append(Entity(id=region_id(province), label="Region", name=province, properties={"level": "省级"}))
    for s in schools:
        sid = school_id(s.name)
        entities.append(
            Entity(
                id=sid,
                label="Organization",
                name=s.name,
                properties={
                    "kind": "school",
                    "code": s.code,
                    "level": s.level,
                    "province": s.province,
                    "region": s.city,
                    "authority": s.authority,
                    "note": s.note,
                    "hunan": s.province == HUNAN,
                },
            )
        )
        relations.append(Relation(source=sid, target=region_id(s.province), type="LOCATED_IN"))
    return entities, relations


def institution_report(schools: list[Institution], source: Path, entities: int, relations: int) -> DatasetReport:
    counts = institution_counts(schools)
    return DatasetReport.against_edition(
        dataset="全国普通高等学校名单",
        origin=ORIGIN,
        source=source,
        counts=counts,
        expected=EXPECTED,
        edition="the 2017 list",
        entities=entities,
        relations=relations,
    )
