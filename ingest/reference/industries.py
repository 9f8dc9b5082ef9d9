"""GB/T 4754-2017 国民经济行业分类: parse the JSON tree, validate it, turn it into Industry nodes with CHILD_OF.

The JSON is a list of 门类 `{code, name, children}` nested down to 小类 (the layout of the shared copy).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from graph.models import Entity, Relation
from ingest.reference.errors import ReferenceDataInvalid
from ingest.reference.ids import industry_id
from ingest.reference.models import INDUSTRY_LEVELS, DatasetReport, Industry, IndustryTree

ORIGIN = "reference:gbt4754"
FILE_NAME = "gbt4754_2017.json"
# The standard's own totals; a copy that lacks rows loads, with a warning naming the difference.
EXPECTED: dict[str, int] = {"门类": 20, "大类": 97, "中类": 473, "小类": 1382}
_NAME_TAIL = re.compile(r"\s{2,}")
_FORMAT = {
    "门类": re.compile(r"[A-T]"),
    "大类": re.compile(r"\d{2}"),
    "中类": re.compile(r"\d{3}"),
    "小类": re.compile(r"\d{4}"),
}


def parse_industries(path: Path) -> IndustryTree:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReferenceDataInvalid(f"{path.name}: not a JSON tree ({exc})") from exc
    if not isinstance(data, list) or not data:
        raise ReferenceDataInvalid(f"{path.name}: expected a list of 门类")
    tree = IndustryTree()
    for node in data:
        _walk(node, 0, None, None, tree, path.name)
    dupes = [c for c, n in Counter(i.code for i in tree.industries).items() if n > 1]
    if dupes:
        raise ReferenceDataInvalid(f"{path.name}: duplicate codes {dupes[:5]}")
    return tree


def _walk(node: Any, depth: int, parent: str | None, section: str | None, tree: IndustryTree, where: str) -> None:
    if depth >= len(INDUSTRY_LEVELS):
        raise ReferenceDataInvalid(f"{where}: tree deeper than 小类 under {parent}")
    if not isinstance(node, dict) or not isinstance(node.get("code"), str) or not isinstance(node.get("name"), str):
        raise ReferenceDataInvalid(f"{where}: node without code/name under {parent}")
    level = INDUSTRY_LEVELS[depth]
    # Some copies carry part of the category's definition after a run of spaces; keep the name only.
    code, name = node["code"].strip(), _NAME_TAIL.split(node["name"].strip())[0]
    if not _FORMAT[level].fullmatch(code) or not name:
        raise ReferenceDataInvalid(f"{where}: bad {level} {code!r} {name!r}")
    # 中类/小类 codes extend their parent's code; 大类 codes (two digits) sit under a letter.
    if depth >= 2 and parent is not None and not code.startswith(parent):
        raise ReferenceDataInvalid(f"{where}: {level} {code} does not extend its parent {parent}")
    sect = code if depth == 0 else section
    assert sect is not None
    tree.industries.append(Industry(code=code, name=name, level=level, section=sect, parent_code=parent))
    children = node.get("children") or []
    if not isinstance(children, list):
        raise ReferenceDataInvalid(f"{where}: children of {code} is not a list")
    for child in children:
        _walk(child, depth + 1, code, sect, tree, where)


def industry_counts(tree: IndustryTree) -> dict[str, int]:
    return {level: sum(1 for i in tree.industries if i.level == level) for level in INDUSTRY_LEVELS}


def industry_graph(tree: IndustryTree) -> tuple[list[Entity], list[Relation]]:
    by_code = tree.by_code()
    entities: list[Entity] = []
    relations: list[Relation] = []
    for ind in tree.industries:
        nid = industry_id(ind.section, ind.code)
        props: dict[str, str | None] = {"code": ind.code, "level": ind.level, "section": ind.section}
        if ind.parent_code is not None:
            props["parent_code"] = ind.parent_code
            parent = by_code[ind.parent_code]
            relations.append(Relation(source=nid, target=industry_id(parent.section, parent.code), type="CHILD_OF"))
        entities.append(Entity(id=nid, label="Industry", name=ind.name, properties=dict(props)))
    return entities, relations


def industry_report(tree: IndustryTree, source: Path, entities: int, relations: int) -> DatasetReport:
    counts = industry_counts(tree)
    return DatasetReport.against_edition(
        dataset="GB/T 4754-2017 国民经济行业分类",
        origin=ORIGIN,
        source=source,
        counts=counts,
        expected=EXPECTED,
        edition="GB/T 4754-2017",
        entities=entities,
        relations=relations,
    )
