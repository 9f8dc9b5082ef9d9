"""Schools as the gap view needs them: the level their 专业 are matched at, and their region.

The MoE list of higher-education institutions (in the reference folder, CHUYI_REFERENCE_DIR; read once,
when first needed) gives a listed school's 办学层次: 专科 → 高职专科, 本科 → 职业本科. The list covers every
higher-education institution, so a vocational school that is not on it and is named as one (…学校, …中专,
…职业高中, …职教中心, as policy texts name 新化县楚怡工业学校) is a 中职 school. Without the file, the
listed schools are read from the graph, where the reference load put them (Organization nodes with their
学校标识码).
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

from graph.models import Node
from graph.store import GraphStore
from graph.views import Organization
from ingest.reference.errors import ReferenceDataError
from ingest.reference.ids import school_id
from ingest.reference.institutions import HUNAN, parse_institutions
from ingest.reference.load import locate_files
from search_api.matching.errors import UnknownSchool
from search_api.matching.schemas import SchoolOut, SpecialtyLevelIn

# Names that say what kind of vocational school a school is (the 2021 catalogue's three levels).
_BACHELOR = re.compile(r"职业技术大学|职业大学")
_COLLEGE = re.compile(r"(职业技术学院|职业学院|高等专科学校|专科学校)$")
_SECONDARY = re.compile(r"(学校|中专|中学|职业高中|职高|职教中心|职业教育中心|技工学校)$")
_UNIVERSITY = re.compile(r"大学|学院")
_GRAPH_SCHOOLS = 5000  # graph schools read for an empty picker query (the seed and laws name a few dozen)


def level_of_listed(school_level: str, name: str) -> SpecialtyLevelIn:
    """A listed school's matching level from its 办学层次 (本科 → 职业本科, as matching has always read it)."""
    return "职业本科" if school_level == "本科" else "高职专科"


def level_by_name(name: str) -> SpecialtyLevelIn | None:
    """The level of a school that is not on the list of higher-education institutions, from its name."""
    if _BACHELOR.search(name):
        return "职业本科"
    if _COLLEGE.search(name):
        return "高职专科"
    if _SECONDARY.search(name) and not _UNIVERSITY.search(name):
        return "中职"
    return None


class SchoolDirectory:
    def __init__(self, store: GraphStore, reference_dir: Path | None) -> None:
        self._store = store
        self._reference_dir = reference_dir
        self._listed: dict[str, SchoolOut] | None = None
        self._lock = threading.Lock()

    def invalidate(self) -> None:
        with self._lock:
            self._listed = None

    def listed(self) -> dict[str, SchoolOut]:
        """The institutions list by name (the file under the reference folder, else the graph's copy)."""
        with self._lock:
            if self._listed is None:
                self._listed = self._read_file() or self._read_graph()
            return self._listed

    def _read_file(self) -> dict[str, SchoolOut]:
        if self._reference_dir is None or not self._reference_dir.is_dir():
            return {}
        path = locate_files(self._reference_dir).institutions
        if path is None:
            return {}
        try:
            schools = parse_institutions(path)
        except ReferenceDataError:
            return {}  # the reference load reports a broken list; here it only means: ask the graph
        return {
            s.name: SchoolOut(
                name=s.name,
                id=school_id(s.name),
                level=level_of_listed(s.level, s.name),
                school_level=s.level,
                region=s.city or None,
                province=s.province,
                source="institutions",
            )
            for s in schools
        }

    def _read_graph(self) -> dict[str, SchoolOut]:
        out = {}
        for node in self._store.find_entities("", label="Organization", limit=50_000):
            org = Organization.from_node(node)
            if org.code and org.level:
                out[org.name] = SchoolOut(
                    name=org.name,
                    id=org.id,
                    level=level_of_listed(org.level, org.name),
                    school_level=org.level,
                    region=org.region,
                    province=org.province,
                    source="institutions",
                )
        return out

    def require(self, name_or_id: str) -> SchoolOut:
        """A school by name (the list first, then the graph) or by node id; UnknownSchool when neither has it."""
        name = name_or_id.strip()
        listed = self.listed()
        if name in listed:
            return listed[name]
        node = self._store.get_node(name)
        if node is not None and node.label == "Organization":
            org = Organization.from_node(node)
            return listed.get(org.name) or _from_graph(node)
        for node in self._store.find_entities(name, label="Organization", limit=5):
            if Organization.from_node(node).name == name:
                return _from_graph(node)
        raise UnknownSchool(f"no school named {name_or_id!r} in the institutions list or the graph")

    def search(self, q: str, limit: int) -> list[SchoolOut]:
        """Schools whose name holds `q`: Hunan's listed schools first, then the others listed, then the
        schools policy texts name (not on the list), each group by name."""
        q = q.strip()
        listed = self.listed()
        hits = [s for s in listed.values() if q in s.name]
        hits.sort(key=lambda s: (s.province != HUNAN, not s.name.startswith(q), s.name))
        graph = [
            _from_graph(n)
            for n in self._store.find_entities(q, label="Organization", limit=_GRAPH_SCHOOLS if not q else limit * 5)
            if Organization.from_node(n).kind == "school" and Organization.from_node(n).name not in listed
        ]
        graph = [s for s in graph if q in s.name]
        graph.sort(key=lambda s: (not s.name.startswith(q), s.name))
        if not q:  # an empty picker: the schools of Hunan's texts and list, not the whole country
            hits = [s for s in hits if s.province == HUNAN]
            return (graph + hits)[:limit]
        return (hits + graph)[:limit]


def _from_graph(node: Node) -> SchoolOut:
    org = Organization.from_node(node)
    return SchoolOut(
        name=org.name,
        id=org.id,
        level=level_of_listed(org.level, org.name) if org.level else level_by_name(org.name),
        school_level=org.level,
        region=org.region,
        province=org.province,
        kind=org.kind or "school",
        source="graph",
    )
