"""Law-name aliases (corpora/knowledge/law_aliases.csv: alias,work,source — 职教法 → 职业教育法), each row
with a source note. Read on first use, never at import."""

from __future__ import annotations

import csv
from pathlib import Path

from pydantic import BaseModel

from search_api.references.errors import AliasTableInvalid

LAW_ALIASES_FILE = "law_aliases.csv"


class LawAlias(BaseModel):
    alias: str
    work: str
    source: str


def load_law_aliases(path: Path) -> list[LawAlias]:
    """The rows of the table; [] when the file is not there, AliasTableInvalid when a row is incomplete."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {"alias", "work", "source"} - set(reader.fieldnames or [])
        if missing:
            raise AliasTableInvalid(f"{path.name}: missing columns {sorted(missing)}")
        rows = []
        for line, row in enumerate(reader, start=2):
            alias, work, source = ((row.get(k) or "").strip() for k in ("alias", "work", "source"))
            if not alias or not work or not source:
                raise AliasTableInvalid(f"{path.name} line {line}: alias, work and a source note are all needed")
            rows.append(LawAlias(alias=alias, work=work, source=source))
    return rows
