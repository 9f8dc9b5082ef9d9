"""Schools' 专业 offerings from a user's table: (school)-[:OFFERS]->(Specialty).

Optional: a file `school_offerings.csv` in the reference-data folder with the columns school (the name
as in the MoE list), specialty_code (专业代码 of the 2021 catalogue; the code fixes the level) and
source (where the fact comes from, e.g. the school's 专业设置 page or the provincial 专业备案 list).
"""

from __future__ import annotations

import csv
from pathlib import Path

from pydantic import BaseModel, ValidationError

from graph.models import Relation
from ingest.reference.errors import ReferenceDataInvalid
from ingest.reference.ids import school_id, specialty_id
from ingest.reference.models import DatasetReport, Institution, SpecialtyCatalogue

ORIGIN = "reference:offerings"
FILE_NAME = "school_offerings.csv"


class Offering(BaseModel):
    school: str
    specialty_code: str
    source: str


def parse_offerings(path: Path) -> list[Offering]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            raw = list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError) as exc:
        raise ReferenceDataInvalid(f"{path.name}: cannot read ({exc})") from exc
    rows: list[Offering] = []
    for n, row in enumerate(raw, start=2):
        try:
            item = Offering.model_validate({k: (v or "").strip() for k, v in row.items() if k})
        except ValidationError as exc:
            raise ReferenceDataInvalid(f"{path.name}:{n}: {exc.errors()[0]['loc']} {exc.errors()[0]['msg']}") from exc
        if not item.source or not item.school or not item.specialty_code:
            raise ReferenceDataInvalid(f"{path.name}:{n}: school, specialty_code and source are required")
        rows.append(item)
    return rows


def offering_relations(
    rows: list[Offering], catalogue: SpecialtyCatalogue, schools: list[Institution]
) -> list[Relation]:
    """OFFERS relations; unknown schools or codes are refused with the row that names them."""
    level_of = {s.code: s.level for s in catalogue.specialties}
    known = {s.name for s in schools}
    out: list[Relation] = []
    for row in rows:
        if row.school not in known:
            raise ReferenceDataInvalid(f"{FILE_NAME}: {row.school!r} is not in the institution list")
        level = level_of.get(row.specialty_code)
        if level is None:
            raise ReferenceDataInvalid(f"{FILE_NAME}: {row.specialty_code!r} is not a 专业代码 of the catalogue")
        out.append(
            Relation(
                source=school_id(row.school),
                target=specialty_id(level, row.specialty_code),
                type="OFFERS",
                properties={"source": row.source},
            )
        )
    return out


def offerings_report(rows: list[Offering], source: Path, relations: int) -> DatasetReport:
    return DatasetReport(
        dataset="院校专业设置",
        origin=ORIGIN,
        source=str(source),
        counts={"院校": len({r.school for r in rows}), "开设专业": len(rows)},
        relations=relations,
    )
