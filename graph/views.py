"""Typed views of graph nodes, one per label, read from a node's properties in one place.

A store hands back `Node(properties=dict)`; what each label's properties mean is fixed by what ingest
writes (ingest/extraction.py, ingest/reference/*). Readers take a view instead of reaching into the
dict: `Organization.from_node(node).kind`. Views never fail on odd data: a missing property is "" / None
/ [], a value outside its Literal is None, a number stored as text is read as a number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, get_args

from graph.models import (
    Document,
    DocumentKind,
    DocumentStatus,
    Edge,
    IndustryLevel,
    Node,
    OrganizationKind,
    Passage,
    PropertyValue,
    SchoolLevel,
    Section,
    SpecialtyLevel,
    TargetKind,
)

Properties = dict[str, PropertyValue]


# -- reading one property ------------------------------------------------------------------------------
def _text(props: Properties, key: str) -> str:
    """The property as text; "" when missing or None."""
    value = props.get(key)
    return "" if value is None else str(value)


def _optional_text(props: Properties, key: str) -> str | None:
    return _text(props, key) or None


def _strings(value: PropertyValue) -> list[str]:
    """A list property as strings; a single string counts as a one-item list."""
    if isinstance(value, list):
        return [str(v) for v in value]
    return [value] if isinstance(value, str) and value else []


def _number(value: PropertyValue) -> int | float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            try:
                return float(value)
            except ValueError:
                return None
    return None


def _choice(value: PropertyValue, literal: Any) -> Any:
    """The value when it is one of the Literal's options, else None."""
    return value if isinstance(value, str) and value in get_args(literal) else None


def _flag(value: PropertyValue) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


# -- what every node has --------------------------------------------------------------------------------
def aliases_of(props: Properties) -> list[str]:
    """The `aliases` property as a list of strings (the one alias reader of the project)."""
    return _strings(props.get("aliases"))


def name_of(node: Node) -> str:
    """The node's `name` ("" when it has none: documents have titles, passages text)."""
    return _text(node.properties, "name")


def names_of(node: Node) -> list[str]:
    """The canonical name first, then the aliases; no empties, no repeats."""
    return [n for n in dict.fromkeys([name_of(node), *aliases_of(node.properties)]) if n]


def display_name(node: Node) -> str:
    """What to call a node of any label: its name, a document's title, a section's heading, the start of
    a passage's text, else its id."""
    props = node.properties
    for key in ("name", "title", "heading"):
        value = props.get(key)
        if isinstance(value, str) and value:
            return value
    text = props.get("text")
    return text[:40] if isinstance(text, str) and text else node.id


def description_of(node: Node) -> str:
    """The defining sentence ingest found for a programme (or a chain's description); "" when none."""
    return _text(node.properties, "description").strip()


# -- documents and passages: the models ingest wrote, read back ------------------------------------------
def as_document(node: Node) -> Document:
    p = node.properties
    return Document(
        id=node.id,
        title=_text(p, "title"),
        issuers=_strings(p.get("issuers")),
        doc_number=_optional_text(p, "doc_number"),
        date=_optional_text(p, "date"),
        source=_text(p, "source"),
        sha256=_text(p, "sha256"),
        publication=_optional_text(p, "publication"),
        kind=_choice(p.get("kind"), DocumentKind),
        work=_optional_text(p, "work"),
        version_date=_optional_text(p, "version_date"),
        status=_choice(p.get("status"), DocumentStatus) or "current",
        written_date=_optional_text(p, "written_date"),
        subject=_optional_text(p, "subject"),
        index_no=_optional_text(p, "index_no"),
        text_sha256=_optional_text(p, "text_sha256"),
        header_passage_id=_optional_text(p, "header_passage_id"),
    )


def as_passage(node: Node) -> Passage:
    p = node.properties
    order = _number(p.get("order"))
    return Passage(
        id=node.id,
        doc_id=_text(p, "doc_id"),
        section_id=_optional_text(p, "section_id"),
        section_path=_text(p, "section_path"),
        text=_text(p, "text"),
        order=int(order) if order is not None else 0,
    )


def as_section(node: Node) -> Section:
    p = node.properties
    order, level = _number(p.get("order")), _number(p.get("level"))
    return Section(
        id=node.id,
        doc_id=_text(p, "doc_id"),
        path=_text(p, "path"),
        heading=_text(p, "heading"),
        order=int(order) if order is not None else 0,
        level=int(level) if level is not None else 1,
        parent_id=_optional_text(p, "parent_id"),
    )


# -- entities ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Organization:
    """A department, school, enterprise or group (ingest/orgs.py; schools also from the MoE list)."""

    id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    kind: OrganizationKind | None = None
    region: str | None = None  # the city for listed schools, the region named in policy text otherwise
    province: str | None = None
    code: str | None = None  # 学校标识码
    level: SchoolLevel | None = None  # 办学层次 of a listed school
    authority: str | None = None  # 主管部门
    hunan: bool = False

    @classmethod
    def from_node(cls, node: Node) -> Organization:
        p = node.properties
        return cls(
            id=node.id,
            name=name_of(node),
            aliases=aliases_of(p),
            kind=_choice(p.get("kind"), OrganizationKind),
            region=_optional_text(p, "region"),
            province=_optional_text(p, "province"),
            code=_optional_text(p, "code"),
            level=_choice(p.get("level"), SchoolLevel),
            authority=_optional_text(p, "authority"),
            hunan=_flag(p.get("hunan")),
        )


@dataclass(frozen=True)
class Programme:
    """A 楚怡 programme (楚怡文化传承基地 …), with its aliases and defining sentence."""

    id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    category: str | None = None
    description: str = ""

    @classmethod
    def from_node(cls, node: Node) -> Programme:
        p = node.properties
        return cls(
            id=node.id,
            name=name_of(node),
            aliases=aliases_of(p),
            category=_optional_text(p, "category"),
            description=description_of(node),
        )


@dataclass(frozen=True)
class Target:
    """A quantitative target a plan sets: 10 所 “楚怡”优秀中职学校 (ingest/targets.py), or, with kind
    "result", a count a text reports as done: 2022年 30所…入选 (ingest/results.py), with its year."""

    id: str
    name: str
    quantity: int | float | None = None
    unit: str = ""
    object: str = ""
    verb: str = ""
    scope: str = ""
    deadline: str | None = None
    qualifier: str | None = None
    text: str = ""  # the sentence that sets it
    doc_id: str = ""
    kind: TargetKind = "target"
    year: int | None = None  # the year a result was reported for (results only)

    @classmethod
    def from_node(cls, node: Node) -> Target:
        p = node.properties
        return cls(
            id=node.id,
            name=name_of(node),
            quantity=_number(p.get("quantity")),
            unit=_text(p, "unit"),
            object=_text(p, "object"),
            verb=_text(p, "verb"),
            scope=_text(p, "scope"),
            deadline=_optional_text(p, "deadline"),
            qualifier=_optional_text(p, "qualifier"),
            text=_text(p, "text"),
            doc_id=_text(p, "doc_id"),
            kind=_choice(p.get("kind"), TargetKind) or "target",
            year=_year(p.get("year")),
        )


def _year(value: PropertyValue) -> int | None:
    number = _number(value)
    return int(number) if number is not None else None


@dataclass(frozen=True)
class Specialty:
    """A 专业 of the 2021 catalogue (ingest/reference/catalogue.py)."""

    id: str
    code: str
    name: str
    level: SpecialtyLevel | None = None
    class_code: str = ""
    class_name: str = ""
    category_code: str = ""
    category_name: str = ""
    controlled: bool = False  # 国家控制布点专业

    @classmethod
    def from_node(cls, node: Node) -> Specialty:
        p = node.properties
        return cls(
            id=node.id,
            code=_text(p, "code"),
            name=name_of(node),
            level=_choice(p.get("level"), SpecialtyLevel),
            class_code=_text(p, "class_code"),
            class_name=_text(p, "class_name"),
            category_code=_text(p, "category_code"),
            category_name=_text(p, "category_name"),
            controlled=_flag(p.get("controlled")),
        )


@dataclass(frozen=True)
class SpecialtyClass:
    """A 专业类 (and, with category_code empty, the shape of a 专业大类 too)."""

    id: str
    code: str
    name: str
    level: SpecialtyLevel | None = None
    category_code: str = ""

    @classmethod
    def from_node(cls, node: Node) -> SpecialtyClass:
        p = node.properties
        return cls(
            id=node.id,
            code=_text(p, "code"),
            name=name_of(node),
            level=_choice(p.get("level"), SpecialtyLevel),
            category_code=_text(p, "category_code"),
        )


@dataclass(frozen=True)
class Industry:
    """A GB/T 4754-2017 industry (ingest/reference/industries.py)."""

    id: str
    code: str
    name: str
    level: IndustryLevel | None = None
    section: str = ""  # the 门类 letter
    parent_code: str | None = None

    @classmethod
    def from_node(cls, node: Node) -> Industry:
        p = node.properties
        return cls(
            id=node.id,
            code=_text(p, "code"),
            name=name_of(node),
            level=_choice(p.get("level"), IndustryLevel),
            section=_text(p, "section"),
            parent_code=_optional_text(p, "parent_code"),
        )


@dataclass(frozen=True)
class IndustryChain:
    """A Hunan industry chain (corpora/knowledge, ingest/reference/knowledge.py)."""

    id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    description: str = ""
    products: list[str] = field(default_factory=list)
    region: str = ""
    source: str = ""

    @classmethod
    def from_node(cls, node: Node) -> IndustryChain:
        p = node.properties
        return cls(
            id=node.id,
            name=name_of(node),
            aliases=aliases_of(p),
            description=description_of(node),
            products=_strings(p.get("products")),
            region=_text(p, "region"),
            source=_text(p, "source"),
        )


@dataclass(frozen=True)
class IndustryLink:
    """A curated MAPS_TO edge (chain → industry, or 专业类 → industry) with its weight and reason."""

    source: str
    target: str
    weight: float = 1.0
    role: str = ""
    specialties: list[str] = field(default_factory=list)  # crosswalk rows: the 专业 the row is about
    reason: str = ""
    origin: str = ""  # the `source` note of the curated row

    @classmethod
    def from_edge(cls, edge: Edge) -> IndustryLink:
        p = edge.properties
        weight = _number(p.get("weight"))
        return cls(
            source=edge.source,
            target=edge.target,
            weight=float(weight) if weight is not None else 1.0,
            role=_text(p, "role"),
            specialties=_strings(p.get("specialties")),
            reason=_text(p, "reason"),
            origin=_text(p, "source"),
        )
