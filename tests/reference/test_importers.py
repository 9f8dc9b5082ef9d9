"""The reference importers on the real files: counts as the catalogues state them, validation, and
loading into both stores (idempotent, stale rows replaced)."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from graph.store import GraphStore
from ingest.reference.catalogue import parse_catalogue
from ingest.reference.errors import ReferenceDataInvalid, ReferenceDataMissing
from ingest.reference.ids import industry_id, school_id, specialty_class_id, specialty_id
from ingest.reference.industries import parse_industries
from ingest.reference.institutions import parse_institutions
from ingest.reference.load import load_reference, locate_files
from tests.reference.conftest import CATALOGUE, GBT, INSTITUTIONS_CSV, INSTITUTIONS_JSON, KNOWLEDGE_DIR


def test_catalogue_counts_match_the_2021_catalogue(reference_dir: Path) -> None:
    cat = parse_catalogue(reference_dir / CATALOGUE)
    per = Counter((s.level) for s in cat.specialties)
    assert per == {"中职": 358, "高职专科": 744, "职业本科": 247}
    assert Counter(c.level for c in cat.categories) == {"中职": 19, "高职专科": 19, "职业本科": 19}
    assert Counter(c.level for c in cat.classes) == {"中职": 88, "高职专科": 97, "职业本科": 90}
    assert all(re.fullmatch(r"\d{6}K?", s.code) and s.code.startswith(s.class_code) for s in cat.specialties)
    by_name = {(s.level, s.name): s for s in cat.specialties}
    assert by_name[("高职专科", "机械制造及自动化")].code == "460104"
    assert by_name[("高职专科", "智能工程机械运用技术")].class_code == "5002"
    assert by_name[("高职专科", "临床医学")].controlled  # 520101K, 国家控制布点
    assert {c.name for c in cat.categories if c.level == "高职专科"} >= {"装备制造大类", "医药卫生大类"}


def test_gbt4754_tree_is_whole_and_linked(reference_dir: Path) -> None:
    tree = parse_industries(reference_dir / GBT)
    counts = Counter(i.level for i in tree.industries)
    assert counts == {"门类": 20, "大类": 97, "中类": 473, "小类": 1381}
    by_code = tree.by_code()
    for ind in tree.industries:
        if ind.level == "门类":
            assert ind.parent_code is None
        else:
            parent = by_code[ind.parent_code or ""]
            assert parent.section == ind.section
    assert by_code["3514"].name == "建筑工程用机械制造" and by_code["3514"].parent_code == "351"
    assert by_code["35"].parent_code == "C"
    # Names carry no trailing definition text from the copy (3531 has some after a run of spaces).
    assert by_code["3531"].name.startswith("食品、酒、饮料及茶生产专用设备")
    assert all(not re.search(r"\s", i.name) for i in tree.industries)


def test_institutions_mark_hunan_in_both_formats(reference_dir: Path) -> None:
    schools = parse_institutions(reference_dir / INSTITUTIONS_CSV)
    assert len(schools) == 2631
    hunan = [s for s in schools if s.province == "湖南省"]
    assert len(hunan) == 124
    assert sum(1 for s in hunan if s.level == "专科") == 73
    assert any(s.name == "湖南工业职业技术学院" and s.level == "专科" for s in hunan)
    as_json = parse_institutions(reference_dir / INSTITUTIONS_JSON)
    assert {(s.name, s.code, s.level) for s in as_json} == {(s.name, s.code, s.level) for s in schools}


def _copy_with(src: Path, dst: Path, old: str, new: str) -> Path:
    text = src.read_text(encoding="utf-8")
    assert old in text
    dst.write_text(text.replace(old, new, 1), encoding="utf-8")
    return dst


def test_bad_catalogue_rows_are_refused(reference_dir: Path, tmp_path: Path) -> None:
    src = reference_dir / CATALOGUE
    bad_code = _copy_with(src, tmp_path / "a.csv", ",460104,机械制造及自动化,", ",46010X,机械制造及自动化,")
    with pytest.raises(ReferenceDataInvalid, match="46010X"):
        parse_catalogue(bad_code)
    orphan = _copy_with(src, tmp_path / "b.csv", ",4601,机械设计制造类,460104,", ",4699,机械设计制造类,469904,")
    with pytest.raises(ReferenceDataInvalid, match="4699"):
        parse_catalogue(orphan)
    no_columns = tmp_path / "c.csv"
    no_columns.write_text("code,name\n460104,机械制造及自动化\n", encoding="utf-8")
    with pytest.raises(ReferenceDataInvalid, match="missing columns"):
        parse_catalogue(no_columns)


def test_bad_industry_tree_is_refused(reference_dir: Path, tmp_path: Path) -> None:
    src = reference_dir / GBT
    wrong_parent = _copy_with(src, tmp_path / "g.json", '"code": "3514"', '"code": "3614"')
    with pytest.raises(ReferenceDataInvalid, match="3614"):
        parse_industries(wrong_parent)
    duplicate = _copy_with(src, tmp_path / "h.json", '"code": "3515"', '"code": "3514"')
    with pytest.raises(ReferenceDataInvalid, match="duplicate"):
        parse_industries(duplicate)


def test_institution_count_must_match_the_province_header(reference_dir: Path, tmp_path: Path) -> None:
    bad = _copy_with(reference_dir / INSTITUTIONS_CSV, tmp_path / "moe.csv", "湖南省（124所）", "湖南省（125所）")
    with pytest.raises(ReferenceDataInvalid, match="湖南省 declares 125"):
        parse_institutions(bad)


def test_missing_reference_folder_is_an_error(tmp_path: Path, store: GraphStore) -> None:
    with pytest.raises(ReferenceDataMissing):
        load_reference(store, tmp_path / "nowhere", None)
    (tmp_path / "empty").mkdir()
    with pytest.raises(ReferenceDataMissing, match=r"vocational-2021\.csv"):
        load_reference(store, tmp_path / "empty", None)
    assert load_reference(store, None, None).datasets == []


def test_files_are_found_in_a_flat_folder_too(reference_dir: Path, tmp_path: Path) -> None:
    for rel in (CATALOGUE, GBT, INSTITUTIONS_CSV):
        shutil.copy(reference_dir / rel, tmp_path / rel.name)
    files = locate_files(tmp_path)
    assert files.catalogue == tmp_path / CATALOGUE.name
    assert files.industries == tmp_path / GBT.name
    assert files.institutions == tmp_path / INSTITUTIONS_CSV.name


@pytest.mark.slow  # loads the whole reference data twice into each store
def test_load_into_store_reports_and_is_idempotent(reference_dir: Path, store: GraphStore) -> None:
    report = load_reference(store, reference_dir, KNOWLEDGE_DIR)
    by_name = {d.dataset: d for d in report.datasets}
    assert by_name["职业教育专业目录"].counts["专业/高职专科"] == 744
    assert by_name["职业教育专业目录"].warnings == []
    assert by_name["GB/T 4754-2017 国民经济行业分类"].counts == {"门类": 20, "大类": 97, "中类": 473, "小类": 1381}
    assert by_name["全国普通高等学校名单"].counts["湖南专科"] == 73
    stats = store.stats()
    assert stats.nodes["Specialty"] == 358 + 744 + 247
    assert stats.nodes["SpecialtyClass"] == 88 + 97 + 90
    assert stats.nodes["SpecialtyCategory"] == 57
    assert stats.nodes["Industry"] == 20 + 97 + 473 + 1381
    assert stats.nodes["IndustryChain"] >= 15
    assert stats.relationships["IN_CLASS"] == 1349
    assert stats.relationships["CHILD_OF"] == 97 + 473 + 1381

    node = store.get_node(specialty_id("高职专科", "460104"))
    assert node is not None and node.label == "Specialty"
    assert node.properties["name"] == "机械制造及自动化" and node.properties["class_code"] == "4601"
    edges = store.edges_of(specialty_id("高职专科", "460104"), ["IN_CLASS"], "out")
    assert [e.target for e in edges] == [specialty_class_id("高职专科", "4601")]
    child = store.edges_of(industry_id("C", "3514"), ["CHILD_OF"], "out")
    assert [e.target for e in child] == [industry_id("C", "351")]
    school = store.get_node(school_id("湖南工业职业技术学院"))
    assert school is not None
    assert school.properties["kind"] == "school" and school.properties["hunan"] is True
    assert school.properties["level"] == "专科" and school.properties["province"] == "湖南省"

    before = store.export_json()
    load_reference(store, reference_dir, KNOWLEDGE_DIR)
    after = store.export_json()
    assert after.model_dump() == before.model_dump()


def test_reload_with_a_changed_file_leaves_no_stale_rows(
    reference_dir: Path, tmp_path: Path, store: GraphStore
) -> None:
    folder = tmp_path / "ref"
    folder.mkdir()
    shutil.copy(reference_dir / GBT, folder / GBT.name)
    lines = (reference_dir / CATALOGUE).read_text(encoding="utf-8").splitlines(keepends=True)
    (folder / CATALOGUE.name).write_text("".join(lines), encoding="utf-8")
    load_reference(store, folder, None)
    assert store.get_node(specialty_id("高职专科", "460104")) is not None
    kept = [ln for ln in lines if ",460104,机械制造及自动化," not in ln]
    (folder / CATALOGUE.name).write_text("".join(kept), encoding="utf-8")
    report = load_reference(store, folder, None)
    assert store.get_node(specialty_id("高职专科", "460104")) is None
    assert store.stats().nodes["Specialty"] == 1348
    # A copy that differs from the 2021 edition loads, and the report says how.
    assert any("专业/高职专科: 743 loaded" in w for d in report.datasets for w in d.warnings)


def test_school_offerings_become_offers_edges(reference_dir: Path, tmp_path: Path, store: GraphStore) -> None:
    folder = tmp_path / "ref"
    folder.mkdir()
    for rel in (CATALOGUE, GBT, INSTITUTIONS_CSV):
        shutil.copy(reference_dir / rel, folder / rel.name)
    table = folder / "school_offerings.csv"
    table.write_text(
        "school,specialty_code,source\n"
        "湖南工业职业技术学院,460104,test table\n"
        "湖南工业职业技术学院,460301,test table\n",
        encoding="utf-8",
    )
    report = load_reference(store, folder, None)
    assert any(d.dataset == "院校专业设置" and d.relations == 2 for d in report.datasets)
    edges = store.edges_of(school_id("湖南工业职业技术学院"), ["OFFERS"], "out")
    assert {e.target for e in edges} == {specialty_id("高职专科", "460104"), specialty_id("高职专科", "460301")}
    table.write_text("school,specialty_code,source\n不存在的学院,460104,test table\n", encoding="utf-8")
    with pytest.raises(ReferenceDataInvalid, match="不存在的学院"):
        load_reference(store, folder, None)
