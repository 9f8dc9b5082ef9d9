"""Our curated knowledge (corpora/knowledge): every code exists in the imported GB/T tree, every 专业类
of every level is covered, every row has a source note, and bad rows are refused."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from ingest.reference.catalogue import parse_catalogue
from ingest.reference.errors import ReferenceDataInvalid
from ingest.reference.industries import parse_industries
from ingest.reference.knowledge import (
    CHAIN_LINKS_FILE,
    CHAINS_FILE,
    CROSSWALK_FILE,
    crosswalk_graph,
    parse_chains,
    parse_crosswalk,
    validate_chains,
    validate_crosswalk,
)
from ingest.reference.models import IndustryTree, SpecialtyCatalogue
from tests.reference.conftest import CATALOGUE, GBT, KNOWLEDGE_DIR

ISSUE_CHAINS = {
    "工程机械",
    "轨道交通装备",
    "中小航空发动机及航空航天装备",
    "新能源汽车",
    "电子信息",
    "生物医药",
    "新材料",
    "有色金属",
    "现代石化",
    "绿色食品",
    "现代种业",
    "文化旅游",
    "现代物流",
    "健康养老",
    "茶产业",
}


@pytest.fixture(scope="module")
def tree(reference_dir: Path) -> IndustryTree:
    return parse_industries(reference_dir / GBT)


@pytest.fixture(scope="module")
def catalogue(reference_dir: Path) -> SpecialtyCatalogue:
    return parse_catalogue(reference_dir / CATALOGUE)


def test_chains_cover_hunan_and_map_onto_existing_codes(tree: IndustryTree) -> None:
    chains, links = parse_chains(KNOWLEDGE_DIR)
    assert len(chains) >= 15
    assert {c.name for c in chains} >= ISSUE_CHAINS
    validate_chains(chains, links, tree)  # raises on an unknown code or a name that disagrees
    by_code = tree.by_code()
    for chain in chains:
        mine = [lk for lk in links if lk.chain == chain.name]
        assert any(lk.role == "核心" for lk in mine), chain.name
        assert all(by_code[lk.industry_code].level in ("大类", "中类", "小类") for lk in mine)
        assert chain.source and chain.description and chain.products, chain.name
    assert all(lk.source and lk.reason for lk in links)
    engineering = {lk.industry_code for lk in links if lk.chain == "工程机械"}
    assert {"3514", "3517"} <= engineering  # 建筑工程用机械, 隧道施工专用机械


def test_crosswalk_covers_every_class_at_every_level(tree: IndustryTree, catalogue: SpecialtyCatalogue) -> None:
    rows = parse_crosswalk(KNOWLEDGE_DIR)
    uncovered = validate_crosswalk(rows, tree, catalogue)
    assert uncovered == []
    associate = {c.code for c in catalogue.classes if c.level == "高职专科"}
    assert {r.class_code for r in rows} == associate  # all 97, keyed by their 高职专科 codes
    assert all(r.source and r.reason for r in rows)
    assert all(tree.by_code()[r.industry_code].level in ("大类", "中类", "小类") for r in rows)
    relations = crosswalk_graph(rows, tree, catalogue)
    sources = {r.source for r in relations}
    assert len(sources) == 88 + 97 + 90  # every class of every level has MAPS_TO rows
    assert all(r.properties["role"] in ("主要", "相关") for r in relations)


def _edited(tmp_path: Path, name: str, old: str, new: str) -> Path:
    folder = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, folder)
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def test_unknown_code_in_a_chain_is_refused(tree: IndustryTree, tmp_path: Path) -> None:
    folder = _edited(
        tmp_path, CHAIN_LINKS_FILE, "工程机械,3514,建筑工程用机械制造", "工程机械,3599X,建筑工程用机械制造"
    )
    chains, links = parse_chains(folder)
    with pytest.raises(ReferenceDataInvalid, match="3599X"):
        validate_chains(chains, links, tree)


def test_a_name_that_disagrees_with_the_standard_is_refused(tree: IndustryTree, tmp_path: Path) -> None:
    folder = _edited(tmp_path, CHAIN_LINKS_FILE, "工程机械,3514,建筑工程用机械制造", "工程机械,3514,矿山机械制造")
    chains, links = parse_chains(folder)
    with pytest.raises(ReferenceDataInvalid, match="3514"):
        validate_chains(chains, links, tree)


def test_a_crosswalk_row_naming_a_stranger_is_refused(
    tree: IndustryTree, catalogue: SpecialtyCatalogue, tmp_path: Path
) -> None:
    rows = list(csv.DictReader((KNOWLEDGE_DIR / CROSSWALK_FILE).open(encoding="utf-8")))
    first = next(r for r in rows if r["specialties"])
    folder = _edited(tmp_path, CROSSWALK_FILE, first["specialties"], "护理")
    with pytest.raises(ReferenceDataInvalid, match="护理"):
        validate_crosswalk(parse_crosswalk(folder), tree, catalogue)


def test_rows_without_a_source_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, folder)
    path = folder / CHAINS_FILE
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    rows[0]["source"] = ""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(ReferenceDataInvalid, match="source"):
        parse_chains(folder)
