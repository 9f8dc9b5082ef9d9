"""The reviewed tables: national bodies (longest match wins) and the thesaurus of everyday words."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.errors import KnowledgeInvalid
from ingest.knowledge import KnowledgeBase
from ingest.orgs import OrgRecogniser
from tests.ingest.conftest import KNOWLEDGE_DIR


def _names(kb: KnowledgeBase, text: str) -> list[str]:
    return [m.canonical for m in OrgRecogniser(kb).find(text)]


def test_national_bodies_with_their_short_forms(kb: KnowledgeBase) -> None:
    text = ("教育部 国家发展改革委 工业和信息化部 财政部 人力资源社会保障部 农业农村部 "
            "国务院国资委 国家税务总局 国务院扶贫办")  # the 落款 of 教职成〔2020〕7号
    assert _names(kb, text) == [
        "教育部", "国家发展和改革委员会", "工业和信息化部", "财政部", "人力资源和社会保障部", "农业农村部",
        "国务院国有资产监督管理委员会", "国家税务总局", "国务院扶贫开发领导小组办公室",
    ]  # fmt: skip
    short = _names(kb, "人社部、国家发改委、工信部会同有关部门")
    assert short == ["人力资源和社会保障部", "国家发展和改革委员会", "工业和信息化部"]
    assert _names(kb, "县级以上人民政府民政部门、教育部门") == []  # the departments of every level
    assert _names(kb, "经国务院同意") == ["国务院"]
    assert "国务院" not in _names(kb, "国务院国资委、国务院扶贫办")  # the longest name wins


def test_every_national_body_row_has_a_source(kb: KnowledgeBase) -> None:
    assert len(kb.national_bodies) >= 60
    assert all(row.source and row.name for row in kb.national_bodies)
    forms = [f for row in kb.national_bodies for f in [row.name, *row.short_forms]]
    assert len(forms) == len(set(forms)), "a short form may name one body only"


def test_no_school_from_a_verb_phrase(kb: KnowledgeBase) -> None:
    assert not any("筹办" in n for n in _names(kb, "1909年，著名教育家陈润霖在长沙筹办楚怡工业学校"))
    assert not any("创办" in n for n in _names(kb, "长沙创办楚怡工业学校"))
    schools = _names(kb, "支持湖南工业职业技术学院、新化县楚怡工业学校建设")
    assert schools == ["湖南工业职业技术学院", "新化县楚怡工业学校"]


def test_thesaurus_rows_and_both_directions(kb: KnowledgeBase) -> None:
    rows = kb.thesaurus_rows
    assert 40 <= len(rows) <= 80 and all(r.source and r.synonyms for r in rows)
    thesaurus = kb.thesaurus()
    assert "延长工作时间" in thesaurus["加班"] and "加班" in thesaurus["延长工作时间"]
    assert {"劳动报酬", "工资报酬"} <= set(thesaurus["工资"])
    assert "中等职业学校" in thesaurus["中专"] and "高等职业学校" in thesaurus["高职"]
    assert "妇女" in thesaurus["女的"] and "教师" in thesaurus["老师"] and "劳动者" in thesaurus["员工"]
    assert "工作" in thesaurus["上班"] and "周" in thesaurus["星期"] and "顶岗实习" in thesaurus["实习"]
    assert thesaurus["学费"] and all(w not in others for w, others in thesaurus.items() for w in [w])


def test_a_thesaurus_row_without_a_source_is_refused(tmp_path: Path) -> None:
    (tmp_path / "thesaurus.csv").write_text("term,synonyms,source\n加班,延长工作时间,\n", encoding="utf-8")
    with pytest.raises(KnowledgeInvalid, match="source"):
        KnowledgeBase.load(tmp_path)


def test_the_shipped_tables_load() -> None:
    kb = KnowledgeBase.load(KNOWLEDGE_DIR)
    assert kb.thesaurus() and kb.alias_map["国务院国资委"].canonical == "国务院国有资产监督管理委员会"
