"""The reference graph as matching needs it, read from the store through the protocol.

Built from `export_json` over the reference labels (专业, 专业类, 行业, 产业链) and rebuilt when the
store's revision moves (a write in this or another process, a re-import among them).
"""

from __future__ import annotations

from pydantic import BaseModel, Field, PrivateAttr

from graph.models import Edge, Node
from graph.store import GraphStore
from graph.views import Industry, IndustryChain, IndustryLink, Specialty, SpecialtyClass
from ingest.reference.ids import specialty_class_id
from search_api.matching.names import same_specialty
from search_api.revision import RevisionCache

LABELS = ["Specialty", "SpecialtyClass", "Industry", "IndustryChain"]


class Link(BaseModel):
    """A curated mapping onto a GB/T 4754 code (chain → industry, or 专业类 → industry)."""

    code: str
    weight: float
    role: str
    specialties: list[str] = Field(default_factory=list)  # crosswalk rows: the 专业 the row is about
    named_ids: list[str] = Field(default_factory=list)  # …and the ids of this class's 专业 it denotes
    reason: str = ""
    source: str = ""


class SpecialtyItem(BaseModel):
    id: str
    code: str
    name: str
    level: str
    class_id: str
    class_name: str
    category_name: str


class IndustryItem(BaseModel):
    id: str
    code: str
    name: str
    level: str
    section: str
    parent_code: str | None = None


class ChainItem(BaseModel):
    id: str
    name: str
    aliases: list[str] = Field(default_factory=list)
    description: str = ""
    products: list[str] = Field(default_factory=list)
    region: str = ""
    links: list[Link] = Field(default_factory=list)


class ClassItem(BaseModel):
    id: str
    code: str
    name: str
    level: str
    links: list[Link] = Field(default_factory=list)


class ReferenceIndex(BaseModel):
    specialties: list[SpecialtyItem] = Field(default_factory=list)
    industries: dict[str, IndustryItem] = Field(default_factory=dict)  # by GB/T code
    chains: dict[str, ChainItem] = Field(default_factory=dict)  # by name
    classes: dict[str, ClassItem] = Field(default_factory=dict)  # by node id
    children: dict[str, list[str]] = Field(default_factory=dict)  # GB/T code → child codes
    _candidates: list[IndustryItem] | None = PrivateAttr(default=None)
    _divisions: dict[str, list[int]] | None = PrivateAttr(default=None)

    def industry_candidates(self) -> list[IndustryItem]:
        """What a 专业 can serve: every industry below the 门类 level, broader codes first, then by code
        (computed once per index)."""
        if self._candidates is None:
            self._candidates = sorted(
                (i for i in self.industries.values() if i.level != "门类"), key=lambda i: (len(i.code), i.code)
            )
        return self._candidates

    def divisions(self) -> dict[str, list[int]]:
        """大类 code → positions of its industries in industry_candidates()."""
        if self._divisions is None:
            out: dict[str, list[int]] = {}
            for k, ind in enumerate(self.industry_candidates()):
                out.setdefault(ind.code[:2], []).append(k)
            self._divisions = out
        return self._divisions


def _link(edge: Edge, code: str) -> Link:
    view = IndustryLink.from_edge(edge)
    return Link(
        code=code,
        weight=view.weight,
        role=view.role,
        specialties=view.specialties,
        reason=view.reason,
        source=view.origin,
    )


def build_index(store: GraphStore) -> ReferenceIndex:
    graph = store.export_json(labels=LABELS)
    index = ReferenceIndex()
    by_label: dict[str, list[Node]] = {}
    for node in graph.nodes:
        by_label.setdefault(node.label, []).append(node)
    for n in by_label.get("Industry", []):
        ind = Industry.from_node(n)
        item = IndustryItem(
            id=ind.id,
            code=ind.code,
            name=ind.name,
            level=ind.level or "",
            section=ind.section,
            parent_code=ind.parent_code,
        )
        index.industries[item.code] = item
        if item.parent_code:
            index.children.setdefault(item.parent_code, []).append(item.code)
    for n in by_label.get("SpecialtyClass", []):
        cls_view = SpecialtyClass.from_node(n)
        index.classes[n.id] = ClassItem(id=n.id, code=cls_view.code, name=cls_view.name, level=cls_view.level or "")
    for n in by_label.get("Specialty", []):
        spec = Specialty.from_node(n)
        level = spec.level or ""
        index.specialties.append(
            SpecialtyItem(
                id=spec.id,
                code=spec.code,
                name=spec.name,
                level=level,
                class_id=specialty_class_id(level, spec.class_code),
                class_name=spec.class_name,
                category_name=spec.category_name,
            )
        )
    for n in by_label.get("IndustryChain", []):
        chain_view = IndustryChain.from_node(n)
        index.chains[chain_view.name] = ChainItem(
            id=chain_view.id,
            name=chain_view.name,
            aliases=chain_view.aliases,
            description=chain_view.description,
            products=chain_view.products,
            region=chain_view.region,
        )
    industry_code = {i.id: i.code for i in index.industries.values()}
    chain_by_id = {c.id: c for c in index.chains.values()}
    for e in graph.edges:
        if e.type != "MAPS_TO" or e.target not in industry_code:
            continue
        link = _link(e, industry_code[e.target])
        if e.source in chain_by_id:
            chain_by_id[e.source].links.append(link)
        elif e.source in index.classes:
            index.classes[e.source].links.append(link)
    for chain in index.chains.values():
        chain.links.sort(key=lambda lk: (-lk.weight, lk.code))
    members: dict[str, list[SpecialtyItem]] = {}
    for s in index.specialties:
        members.setdefault(s.class_id, []).append(s)
    for cls in index.classes.values():
        cls.links.sort(key=lambda lk: (-lk.weight, lk.code))
        for link in cls.links:
            link.named_ids = sorted(
                s.id for s in members.get(cls.id, []) if any(same_specialty(s.name, n) for n in link.specialties)
            )
    index.specialties.sort(key=lambda s: s.id)
    return index


class IndexCache:
    """Holds the index; rebuilds it when the store's revision has moved or after invalidate()."""

    def __init__(self, store: GraphStore) -> None:
        self._cached = RevisionCache(store, lambda: build_index(store))

    @property
    def builds(self) -> int:
        return self._cached.builds

    def get(self) -> ReferenceIndex:
        return self._cached.get()

    def invalidate(self) -> None:
        self._cached.invalidate()
