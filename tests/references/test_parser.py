"""The reference parser and numerals: fast unit tests, no store and no model."""

from __future__ import annotations

import pytest

from search_api.references.numerals import parse_number, to_chinese
from search_api.references.parser import is_deictic, law_name, parse_references, parse_version


def test_numerals_round_trip_and_accept_arabic_and_full_width() -> None:
    assert all(parse_number(to_chinese(n)) == n for n in range(1, 3000))
    assert [to_chinese(n) for n in (10, 13, 36, 107, 110, 262, 1001)] == [
        "十", "十三", "三十六", "一百零七", "一百一十", "二百六十二", "一千零一",
    ]  # fmt: skip
    assert parse_number("36") == parse_number("３６") == parse_number("三十六") == 36
    assert parse_number("两百") == 200 and parse_number("二〇二二") == 2022
    assert parse_number("第三") is None and parse_number("") is None


def _one(question: str) -> tuple[str | None, str]:
    refs = parse_references(question)
    assert len(refs) == 1, refs
    return refs[0].law, refs[0].locator


@pytest.mark.parametrize(
    ("question", "law", "locator"),
    [
        ("劳动法第九条", "劳动法", "第九条"),
        ("《教育法》第五条", "教育法", "第五条"),
        ("职教法第三条是怎么规定的", "职教法", "第三条"),
        ("第二百六十二条之二", None, "第二百六十二条之二"),
        ("刑法第二百六十二条之二是什么？", "刑法", "第二百六十二条之二"),
        ("第二章", None, "第二章"),
        ("楚怡行动计划二（一）2", "楚怡行动计划", "二（一）2"),
        ("（二）3是什么", None, "（二）3"),
        ("劳动法第36条", "劳动法", "第三十六条"),
        ("劳动法36条", "劳动法", "第三十六条"),
        ("中华人民共和国劳动法第四章第三十六条第二款", "中华人民共和国劳动法", "第四章第三十六条第二款"),
        ("根据劳动法第四十四条，休息日加班工资是多少？", "劳动法", "第四十四条"),
        ("请问劳动合同法第十条", "劳动合同法", "第十条"),
        ("河南省实施《职业教育法》办法第三条", "河南省实施职业教育法办法", "第三条"),
        ("《中华人民共和国职业教育法》（2022年修订）第三条", "中华人民共和国职业教育法", "第三条"),
        ("职业教育法里面的第三条", "职业教育法", "第三条"),
        ("本法第三条", "本法", "第三条"),
        ("第三条第（二）项", None, "第三条第二项"),
    ],
)
def test_locators_and_law_names(question: str, law: str | None, locator: str) -> None:
    assert _one(question) == (law, locator)


def test_what_is_not_a_reference() -> None:
    for question in ("招聘30条建议", "第十三届全国人民代表大会", "第一次会议", "2024年湖南高考本科录取分数线是多少？"):
        assert parse_references(question) == [], question


def test_text_starts_at_the_law_name() -> None:
    ref = parse_references("请问劳动合同法第十条怎么说")[0]
    assert ref.text == "劳动合同法第十条"
    assert ref.parts[0].label == "第十条"


def test_an_amended_article_keeps_its_suffix() -> None:
    ref = parse_references("刑法第二百六十二条之二")[0]
    assert (ref.parts[0].number, ref.parts[0].sub, ref.parts[0].label) == (262, 2, "第二百六十二条之二")


def test_version_hints() -> None:
    assert parse_version("1996年的职业教育法第二条") is not None
    assert parse_version("1996年的职业教育法第二条").year == 1996  # type: ignore[union-attr]
    assert parse_version("职业教育法（1996年）第二条").year == 1996  # type: ignore[union-attr]
    assert parse_version("2022年修订的职业教育法").year == 2022  # type: ignore[union-attr]
    assert parse_version("旧版职业教育法第三条").relative == "previous"  # type: ignore[union-attr]
    assert parse_version("修订前的职业教育法第十三条").relative == "previous"  # type: ignore[union-attr]
    assert parse_version("现行职业教育法第三条怎么说？").relative == "current"  # type: ignore[union-attr]
    # A year the question is about, not a version.
    assert parse_version("2024年湖南高考本科录取分数线是多少？") is None
    assert parse_version("劳动法第三十六条") is None


def test_law_names_and_deictics() -> None:
    assert law_name("根据劳动法") == "劳动法"
    assert law_name("1996年的职业教育法") == "职业教育法"
    assert law_name("那个关于加班的") is None  # no document word: not a name
    assert is_deictic("本法") and is_deictic("该条例") and is_deictic("这份文件") and not is_deictic("劳动法")
