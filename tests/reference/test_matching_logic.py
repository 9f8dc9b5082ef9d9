"""Matching logic on a small hand-built index (no model, no store): code agreement, crosswalk rows that
list 专业, resolution of words to chains/codes/专业, and the rescaling of similarities."""

from __future__ import annotations

import numpy as np
import pytest

from search_api.matching.errors import UnknownSpecialty
from search_api.matching.forward import crosswalk_scores, overlap
from search_api.matching.index import ChainItem, ClassItem, IndustryItem, Link, ReferenceIndex, SpecialtyItem
from search_api.matching.names import same_specialty
from search_api.matching.resolve import _by_code, _chain_by_words, normalise, resolve_specialty
from search_api.matching.reverse import reverse_overlap
from search_api.matching.signals import lexical, rescale, row_weight


def _spec(code: str, name: str, level: str, class_code: str) -> SpecialtyItem:
    return SpecialtyItem(
        id=f"specialty:{level}:{code}",
        code=code,
        name=name,
        level=level,
        class_id=f"specialty-class:{level}:{class_code}",
        class_name="",
        category_name="",
    )


@pytest.fixture
def index() -> ReferenceIndex:
    industries = {
        code: IndustryItem(id=f"industry:C{code}", code=code, name=name, level=level, section="C", parent_code=parent)
        for code, name, level, parent in [
            ("34", "通用设备制造业", "大类", "C"),
            ("344", "泵、阀门、压缩机及类似机械制造", "中类", "34"),
            ("3444", "液压动力机械及元件制造", "小类", "344"),
            ("35", "专用设备制造业", "大类", "C"),
            ("351", "采矿、冶金、建筑专用设备制造", "中类", "35"),
            ("3514", "建筑工程用机械制造", "小类", "351"),
            ("358", "医疗仪器设备及器械制造", "中类", "35"),
        ]
    }
    specs = [
        _spec("460301", "机电一体化技术", "高职专科", "4603"),
        _spec("460309", "液压与气动技术", "高职专科", "4603"),
        _spec("460306", "电气自动化技术", "高职专科", "4603"),
        _spec("660305", "液压与气动技术应用", "中职", "6603"),
        _spec("660301", "机电技术应用", "中职", "6603"),
    ]
    automation = ClassItem(
        id="specialty-class:高职专科:4603",
        code="4603",
        name="自动化类",
        level="高职专科",
        links=[
            Link(
                code="35",
                weight=1.0,
                role="主要",
                specialties=["机电一体化技术", "液压与气动技术"],
                named_ids=["specialty:高职专科:460301", "specialty:高职专科:460309"],
            ),
            Link(code="344", weight=0.6, role="相关", named_ids=["specialty:高职专科:460309"]),
        ],
    )
    chain = ChainItem(
        id="chain:工程机械",
        name="工程机械",
        aliases=["工程机械产业链", "盾构机"],
        products=["混凝土机械", "液压元件"],
        links=[Link(code="3514", weight=1.0, role="核心"), Link(code="3444", weight=0.75, role="配套")],
    )
    return ReferenceIndex(
        specialties=specs,
        industries=industries,
        chains={"工程机械": chain},
        classes={automation.id: automation},
        children={"34": ["344"], "344": ["3444"], "35": ["351", "358"], "351": ["3514"]},
    )


def test_code_overlap_follows_the_tree() -> None:
    assert overlap("3514", "3514") == 1.0
    assert overlap("351", "3514") == overlap("3514", "351") == 0.8
    assert overlap("35", "3514") == 0.7
    assert overlap("3514", "3517") == 0.5  # siblings in one 中类
    assert overlap("351", "358") == 0.25  # in one 大类
    assert overlap("35", "36") == 0.0
    # Reverse: a row saying "serves 35" vouches less for each narrower code than for 35 itself.
    assert reverse_overlap("35", "35") == 1.0
    assert reverse_overlap("35", "351") == 0.6 and reverse_overlap("35", "3514") == 0.5
    assert reverse_overlap("3514", "351") == 0.7


def test_rows_listing_specialties_weigh_them_fully(index: ReferenceIndex) -> None:
    cls = index.classes["specialty-class:高职专科:4603"]
    main, related = cls.links
    assert row_weight(main, "specialty:高职专科:460301") == 1.0
    assert row_weight(main, "specialty:高职专科:460306") == 0.5  # the class's other 专业: half
    assert row_weight(related, "specialty:高职专科:460309") == 1.0  # a row naming a 专业 states its industry
    assert row_weight(related, "specialty:高职专科:460301") == 0.3
    values, hits = crosswalk_scores(index, index.specialties[:3], index.chains["工程机械"].links)
    # 机电一体化: 35 (主要, listed) meets 3514 two levels down; 电气自动化 gets half of that.
    assert values[0] == pytest.approx(0.7)
    assert values[2] == pytest.approx(0.35)
    assert hits[0] is not None and hits[0][1].code == "35"


def test_listed_names_reach_other_levels() -> None:
    assert same_specialty("液压与气动技术应用", "液压与气动技术")
    assert same_specialty("机电一体化技术", "机电一体化技术")
    assert not same_specialty("机电技术应用", "机电一体化技术")
    assert not same_specialty("护理", "助产")


def test_words_resolve_to_codes_and_chains(index: ReferenceIndex) -> None:
    ind = _by_code(index, "C3514")
    assert ind is not None and ind.code == "3514"
    assert _by_code(index, "3514") == ind
    assert _by_code(index, "A3514") is None  # the letter must be the code's 门类
    assert _by_code(index, "工程机械") is None
    assert normalise("湖南省工程机械产业链") == "工程机械"
    assert normalise("茶产业") == "茶产业"  # nothing left to strip to: kept whole
    found = _chain_by_words(index, "湖南工程机械产业链")
    assert found is not None and found[0].name == "工程机械"
    by_alias = _chain_by_words(index, "盾构机")
    assert by_alias is not None and by_alias[1] == "盾构机"
    assert _chain_by_words(index, "新能源汽车") is None
    by_product = _chain_by_words(index, "液压元件")
    assert by_product is not None and by_product[1] == "液压元件"


def test_specialties_resolve_by_name_code_and_unique_part(index: ReferenceIndex) -> None:
    assert [s.code for s in resolve_specialty(index, "460309", None)] == ["460309"]
    assert [s.level for s in resolve_specialty(index, "液压与气动技术", None)] == ["高职专科"]
    assert [s.code for s in resolve_specialty(index, "机电一体化", None)] == ["460301"]
    assert [s.code for s in resolve_specialty(index, "液压与气动技术应用", "中职")] == ["660305"]
    with pytest.raises(UnknownSpecialty, match="several"):
        resolve_specialty(index, "液压", None)
    with pytest.raises(UnknownSpecialty):
        resolve_specialty(index, "烹饪工艺与营养", None)


def test_rescale_and_lexical() -> None:
    scaled = rescale(np.array([0.3, 0.35, 0.4, 0.9]))
    assert scaled[-1] == 1.0 and scaled[0] == 0.0
    weak = rescale(np.array([0.30, 0.35, 0.40, 0.50]))  # no candidate really fits: best stays below 1
    assert weak[-1] < 0.5
    assert lexical(["工程机械"], "智能工程机械运用技术") == 1.0
    assert lexical(["康复护理"], "护理") == 1.0
    assert lexical(["工程机械"], "机电一体化技术") == 0.0
