"""Our curated knowledge (corpora/knowledge/*.csv): aliases, department names, national bodies, programmes,
regions, and the thesaurus of everyday words ↔ the words of the statutes.

Every row carries a `source` note saying where the fact comes from. The tables are read once by
`KnowledgeBase.load` (explicit I/O, never at import) and passed to the recognisers.
"""

from __future__ import annotations

import csv
import re
from functools import cached_property
from pathlib import Path

from pydantic import BaseModel, ValidationError

from graph.text import Tokenizer
from ingest.errors import KnowledgeInvalid

ALIASES_FILE = "aliases.csv"
DEPARTMENTS_FILE = "departments.csv"
PROGRAMMES_FILE = "programmes.csv"
REGIONS_FILE = "regions.csv"
NATIONAL_BODIES_FILE = "national_bodies.csv"
THESAURUS_FILE = "thesaurus.csv"

_MINORITY_SUFFIX = re.compile(r"(土家族苗族|苗族侗族|壮族|回族|维吾尔|苗族|侗族|瑶族|土家族)?(自治县|自治州|自治区)$")
_PLAIN_SUFFIX = re.compile(r"(特别行政区|省|市|县|区)$")
# Short forms that are also everyday words (会同 "together with", 通道 "channel", 凤凰 "phoenix" …).
_AMBIGUOUS_SHORT = frozenset({"会同", "通道", "中方", "凤凰", "永兴", "永定", "吉林"})


class AliasRow(BaseModel):
    alias: str
    canonical: str
    kind: str
    region: str | None = None
    source: str


class DepartmentRow(BaseModel):
    name: str
    canonical: str
    source: str


class ProgrammeRow(BaseModel):
    canonical: str
    aliases: list[str]
    category: str | None = None
    source: str


class NationalBodyRow(BaseModel):
    """A national ministry, commission or other central body, with its official and common short forms."""

    name: str
    short_forms: list[str]
    kind: str
    category: str
    source: str

    def alias_rows(self) -> list[AliasRow]:
        return [
            AliasRow(alias=form, canonical=self.name, kind=self.kind, region="中国", source=self.source)
            for form in [self.name, *self.short_forms]
        ]


class ThesaurusRow(BaseModel):
    """One reviewed entry: a word and the words that mean the same in these texts (加班 | 延长工作时间)."""

    term: str
    synonyms: list[str]
    source: str


class RegionRow(BaseModel):
    name: str
    level: str
    parent: str | None = None
    source: str


def _read_rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = [{k: (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(fh)]
    for i, row in enumerate(rows, start=2):
        if not row.get("source"):
            raise KnowledgeInvalid(f"{path.name} line {i}: every row needs a source note")
    return rows


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


def read_thesaurus(path: Path) -> list[ThesaurusRow]:
    """The rows of thesaurus.csv ([] when it is not there); every row needs a term, synonyms and a source."""
    rows = []
    for line, r in enumerate(_read_rows(path), start=2):
        synonyms = _split(r.get("synonyms", ""))
        if not r.get("term") or not synonyms:
            raise KnowledgeInvalid(f"{path.name} line {line}: term, synonyms and a source note are all needed")
        rows.append(ThesaurusRow(term=r["term"], synonyms=synonyms, source=r["source"]))
    return rows


def short_region_name(name: str) -> str | None:
    """湖南省 → 湖南, 新化县 → 新化, 湘西土家族苗族自治州 → 湘西; None when too short to be safe."""
    short = _MINORITY_SUFFIX.sub("", name)
    if short == name:
        short = _PLAIN_SUFFIX.sub("", name)
    return short if len(short) >= 2 and short != name else None


class KnowledgeBase(BaseModel):
    aliases: list[AliasRow] = []
    departments: list[DepartmentRow] = []
    programmes: list[ProgrammeRow] = []
    regions: list[RegionRow] = []
    national_bodies: list[NationalBodyRow] = []
    thesaurus_rows: list[ThesaurusRow] = []

    @classmethod
    def load(cls, folder: Path) -> KnowledgeBase:
        """Read the tables that exist in `folder`; a missing table is empty, a malformed one an error."""
        try:
            return cls(
                aliases=[
                    AliasRow.model_validate({**r, "region": r.get("region") or None})
                    for r in _read_rows(folder / ALIASES_FILE)
                ],
                departments=[DepartmentRow(**r) for r in _read_rows(folder / DEPARTMENTS_FILE)],
                programmes=[
                    ProgrammeRow(
                        canonical=r["canonical"],
                        aliases=[a for a in r.get("aliases", "").split("|") if a],
                        category=r.get("category") or None,
                        source=r["source"],
                    )
                    for r in _read_rows(folder / PROGRAMMES_FILE)
                ],
                regions=[
                    RegionRow.model_validate({**r, "parent": r.get("parent") or None})
                    for r in _read_rows(folder / REGIONS_FILE)
                ],
                national_bodies=[
                    NationalBodyRow(
                        name=r["name"],
                        short_forms=_split(r.get("short_forms", "")),
                        kind=r.get("kind") or "government",
                        category=r.get("category", ""),
                        source=r["source"],
                    )
                    for r in _read_rows(folder / NATIONAL_BODIES_FILE)
                ],
                thesaurus_rows=read_thesaurus(folder / THESAURUS_FILE),
            )
        except (ValidationError, KeyError) as exc:
            raise KnowledgeInvalid(f"malformed knowledge table in {folder}: {exc}") from exc

    # --- derived indexes (computed once, on first use) -------------------------------------------
    @cached_property
    def region_by_name(self) -> dict[str, RegionRow]:
        return {r.name: r for r in self.regions}

    @cached_property
    def region_short_forms(self) -> dict[str, str]:
        """Short form → full name, for regions whose short form is unambiguous (district shorts left out)."""
        seen: dict[str, list[str]] = {}
        for r in self.regions:
            if r.name.endswith("区") and r.level == "县级":
                continue
            short = short_region_name(r.name)
            if short and short not in _AMBIGUOUS_SHORT:
                seen.setdefault(short, []).append(r.name)
        # A short form shared by a city and its county (湘潭市/湘潭县) means the city.
        out: dict[str, str] = {}
        for short, names in seen.items():
            if len(names) == 1:
                out[short] = names[0]
            else:
                ranked = sorted(names, key=lambda n: {"省级": 0, "地级": 1}.get(self.region_by_name[n].level, 2))
                out[short] = ranked[0]
        return {s: n for s, n in out.items() if s not in self.region_by_name}

    def region_chain(self, name: str) -> list[str]:
        """The region and its ancestors below the country: 新化县 → [新化县, 娄底市, 湖南省]."""
        chain: list[str] = []
        row = self.region_by_name.get(name)
        while row is not None and row.level != "国家" and row.name not in chain:
            chain.append(row.name)
            row = self.region_by_name.get(row.parent or "")
        return chain

    def province_of(self, name: str) -> str | None:
        chain = self.region_chain(name)
        return chain[-1] if chain else None

    @cached_property
    def organisation_aliases(self) -> list[AliasRow]:
        """aliases.csv and every national body with its short forms (national_bodies.csv)."""
        return [*self.aliases, *(row for body in self.national_bodies for row in body.alias_rows())]

    @cached_property
    def alias_map(self) -> dict[str, AliasRow]:
        return {a.alias: a for a in self.organisation_aliases}

    def thesaurus(self) -> dict[str, list[str]]:
        """Every word of a thesaurus row → the other words of its rows, both ways (加班 → [延长工作时间],
        延长工作时间 → [加班]); rows sharing a word are not chained (工资 ↔ 劳动报酬 and 工资 ↔ 工资报酬 do not
        make 劳动报酬 ↔ 工资报酬). Words in the order the rows give them."""
        out: dict[str, list[str]] = {}
        for row in self.thesaurus_rows:
            words = [row.term, *row.synonyms]
            for word in words:
                others = out.setdefault(word, [])
                others.extend(w for w in words if w != word and w not in others)
        return out

    @cached_property
    def department_map(self) -> dict[str, str]:
        return {d.name: d.canonical for d in self.departments}

    @cached_property
    def programme_alias_map(self) -> dict[str, str]:
        """Every programme surface form (canonical and alias) → canonical name."""
        out: dict[str, str] = {}
        for p in self.programmes:
            out[p.canonical] = p.canonical
            for a in p.aliases:
                out[a] = p.canonical
        return out

    def programme_aliases(self, canonical: str) -> list[str]:
        for p in self.programmes:
            if p.canonical == canonical:
                return list(p.aliases)
        return []

    def known_names(self) -> list[str]:
        """Every name the tokenizer must keep whole."""
        names = {a.alias for a in self.organisation_aliases} | {a.canonical for a in self.organisation_aliases}
        names |= set(self.programme_alias_map)
        # Region names are left to jieba's own dictionary (湖南省, 新化县 are in it): taught as user
        # words they would also be emitted as parts inside every organisation name.
        return sorted(n for n in names if len(n) >= 2)


def register_jieba_words(tokenizer: Tokenizer, kb: KnowledgeBase, extra: list[str] | None = None) -> None:
    """Teach the store's tokenizer our names so that keyword search neither splits nor misses them."""
    tokenizer.add_words([*kb.known_names(), *(extra or [])])
