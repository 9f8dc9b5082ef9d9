"""Every label, relationship type and organisation kind of the schema has Chinese words."""

from __future__ import annotations

import re
from typing import get_args

from graph.models import NodeLabel, OrganizationKind, RelType
from graph.vocabulary import LABEL_NAMES, ORGANIZATION_KINDS, PROPERTY_NAMES, RELATIONS, label_name, relation_words

_CHINESE = re.compile(r"^[\u4e00-\u9fff]+$")


def test_every_label_has_a_chinese_name() -> None:
    assert set(LABEL_NAMES) == set(get_args(NodeLabel))
    assert all(_CHINESE.match(name) for name in LABEL_NAMES.values()), LABEL_NAMES
    assert label_name("Organization") == "机构"


def test_every_relationship_type_has_chinese_words() -> None:
    assert set(RELATIONS) == set(get_args(RelType))
    for rel_type, words in RELATIONS.items():
        for text in (words.name, words.verb, words.outgoing, words.incoming):
            assert _CHINESE.match(text), (rel_type, text)
    assert relation_words("IN_CLASS").name == "属于专业类"
    assert relation_words("MAPS_TO").name == "对应行业"
    assert relation_words("IN_CATEGORY").name == "属于专业大类"
    assert _CHINESE.match(relation_words("NOT_A_TYPE").name)  # never the ASCII type


def test_kinds_and_properties_are_chinese() -> None:
    assert set(ORGANIZATION_KINDS) == set(get_args(OrganizationKind))
    assert all(_CHINESE.match(n) for n in [*ORGANIZATION_KINDS.values(), *PROPERTY_NAMES.values()])
    # Facts name these attributes (search_api/ask): each must read in Chinese on the page.
    assert {"aliases", "quantity", "issuers"} <= set(PROPERTY_NAMES)
