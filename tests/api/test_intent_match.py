"""The match intent's wording rules (no graph needed)."""

from __future__ import annotations

import pytest

from search_api.ask.intent import asks_match, level_named


@pytest.mark.parametrize(
    ("question", "labels", "direction"),
    [
        ("工程机械产业链需要哪些专业？", ["IndustryChain"], "specialties"),
        ("氢能产业需要什么专业的人才", [], "specialties"),
        ("哪些专业对接新能源汽车产业", ["IndustryChain"], "specialties"),
        ("数控技术对应哪些产业？", ["Specialty"], "industries"),
        ("护理专业能去哪些行业", [], "industries"),
        ("学前教育专业的就业方向", [], "industries"),
        ("哪些行业需要数控技术专业", ["Specialty"], "industries"),
        # Not about matching: 专业群 and 专业智库 are 楚怡 programmes; no industry or 专业 named.
        ("遴选建设多少个楚怡高水平职业本科专业群特色项目？", [], None),
        ("楚怡职业教育专业智库要开设和举办什么？", ["Programme"], None),
        ("哪些学校建设楚怡文化传承基地？", ["Programme"], None),
        ("有哪些专业？", [], None),
    ],
)
def test_asks_match(question: str, labels: list[str], direction: str | None) -> None:
    assert asks_match(question, labels) == direction


def test_level_named() -> None:
    assert level_named("中职学校的汽车专业") == "中职"
    assert level_named("高职的数控技术") == "高职专科"
    assert level_named("职业本科有哪些") == "职业本科"
    assert level_named("数控技术对应哪些产业") is None
