"""Load the reference data and our curated knowledge into a store.

Entry point: `load_reference(store, reference_dir, knowledge_dir)`. Each dataset is written under its
own origin and *replaced* on every run (delete_origin, then upsert), so re-running with the same files
leaves the store exactly as it was, and running with a changed file leaves no stale rows behind.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from graph.models import Entity, Relation
from graph.store import GraphStore
from ingest.reference import catalogue as cat_mod
from ingest.reference import industries as ind_mod
from ingest.reference import institutions as inst_mod
from ingest.reference import knowledge as kn_mod
from ingest.reference import offerings as off_mod
from ingest.reference.errors import ReferenceDataInvalid, ReferenceDataMissing
from ingest.reference.models import DatasetReport, IndustryTree, ReferenceReport, SpecialtyCatalogue

T = TypeVar("T")


class ReferenceFiles(BaseModel):
    catalogue: Path | None = None
    industries: Path | None = None
    institutions: Path | None = None
    offerings: Path | None = None  # optional: a user's table of schools' 专业


def _find(root: Path, name: str) -> Path | None:
    direct = root / name
    if direct.is_file():
        return direct
    found = sorted(p for p in root.rglob(name) if p.is_file())
    return found[0] if found else None


def locate_files(reference_dir: Path) -> ReferenceFiles:
    """The reference files by their names, anywhere under `reference_dir` (the shared layout or a flat folder)."""
    institutions = None
    for name in inst_mod.FILE_NAMES:  # the CSV as the MoE publishes it first, then the JSON
        institutions = institutions or _find(reference_dir, name)
    return ReferenceFiles(
        catalogue=_find(reference_dir, cat_mod.FILE_NAME),
        industries=_find(reference_dir, ind_mod.FILE_NAME),
        institutions=institutions,
        offerings=_find(reference_dir, off_mod.FILE_NAME),
    )


def _replace(store: GraphStore, origin: str, entities: list[Entity], relations: list[Relation]) -> None:
    store.delete_origin(origin)
    store.upsert_entities(entities, relations, origin)


def _import(
    store: GraphStore,
    report: ReferenceReport,
    path: Path | None,
    origin: str,
    parse: Callable[[Path], T],
    to_graph: Callable[[T], tuple[list[Entity], list[Relation]]],
    to_report: Callable[[T, Path, int, int], DatasetReport],
    *,
    missing: str,
) -> T | None:
    """Parse one dataset, replace its origin in the store, and record what was loaded (or that it is absent)."""
    if path is None:
        report.warnings.append(missing)
        return None
    parsed = parse(path)
    ents, rels = to_graph(parsed)
    _replace(store, origin, ents, rels)
    report.datasets.append(to_report(parsed, path, len(ents), len(rels)))
    return parsed


def load_reference(store: GraphStore, reference_dir: Path | None, knowledge_dir: Path | None) -> ReferenceReport:
    """Import whatever reference files `reference_dir` holds, then our knowledge that builds on them."""
    report = ReferenceReport(reference_dir=str(reference_dir) if reference_dir else None)
    if reference_dir is None:
        return report
    if not reference_dir.is_dir():
        raise ReferenceDataMissing(f"reference-data folder {reference_dir} does not exist (CHUYI_REFERENCE_DIR)")
    files = locate_files(reference_dir)
    if files.catalogue is None and files.industries is None and files.institutions is None:
        raise ReferenceDataMissing(
            f"no reference files under {reference_dir}: expected {cat_mod.FILE_NAME}, {ind_mod.FILE_NAME}, "
            f"{' or '.join(inst_mod.FILE_NAMES)}"
        )
    catalogue = _import(
        store, report, files.catalogue, cat_mod.ORIGIN,
        cat_mod.parse_catalogue, cat_mod.catalogue_graph, cat_mod.catalogue_report,
        missing=f"{cat_mod.FILE_NAME} not found: 专业目录 not loaded",
    )  # fmt: skip
    tree = _import(
        store, report, files.industries, ind_mod.ORIGIN,
        ind_mod.parse_industries, ind_mod.industry_graph, ind_mod.industry_report,
        missing=f"{ind_mod.FILE_NAME} not found: GB/T 4754 not loaded",
    )  # fmt: skip
    schools = _import(
        store, report, files.institutions, inst_mod.ORIGIN,
        inst_mod.parse_institutions, inst_mod.institution_graph, inst_mod.institution_report,
        missing="institution list not found: schools not loaded",
    )  # fmt: skip
    if files.offerings is not None:
        if catalogue is None or schools is None:
            report.warnings.append(f"{off_mod.FILE_NAME} skipped: it needs the 专业目录 and the institution list")
        else:
            offered = off_mod.parse_offerings(files.offerings)
            rels = off_mod.offering_relations(offered, catalogue, schools)
            _replace(store, off_mod.ORIGIN, [], rels)
            report.datasets.append(off_mod.offerings_report(offered, files.offerings, len(rels)))
    if knowledge_dir is not None:
        _load_knowledge(store, knowledge_dir, catalogue, tree, report)
    return report


def _load_knowledge(
    store: GraphStore,
    knowledge_dir: Path,
    catalogue: SpecialtyCatalogue | None,
    tree: IndustryTree | None,
    report: ReferenceReport,
) -> None:
    if not (knowledge_dir / kn_mod.CHAINS_FILE).is_file():
        report.warnings.append(f"no curated knowledge in {knowledge_dir}")
        return
    if tree is None:
        report.warnings.append("industry chains and crosswalk skipped: they need the GB/T 4754 tree")
        return
    chains, links = kn_mod.parse_chains(knowledge_dir)
    kn_mod.validate_chains(chains, links, tree)
    ents, rels = kn_mod.chain_graph(chains, links, tree)
    _replace(store, kn_mod.CHAINS_ORIGIN, ents, rels)
    report.datasets.append(
        kn_mod.knowledge_report(
            "湖南产业链 (ours)",
            kn_mod.CHAINS_ORIGIN,
            knowledge_dir / kn_mod.CHAINS_FILE,
            {"产业链": len(chains), "链—行业映射": len(links)},
            [],
            len(ents),
            len(rels),
        )
    )
    if catalogue is None:
        report.warnings.append("专业类 crosswalk skipped: it needs the 专业目录")
        return
    rows = kn_mod.parse_crosswalk(knowledge_dir)
    uncovered = kn_mod.validate_crosswalk(rows, tree, catalogue)
    if not rows:
        raise ReferenceDataInvalid(f"{kn_mod.CROSSWALK_FILE} is empty")
    rels = kn_mod.crosswalk_graph(rows, tree, catalogue)
    _replace(store, kn_mod.CROSSWALK_ORIGIN, [], rels)
    report.datasets.append(
        kn_mod.knowledge_report(
            "专业类—行业 crosswalk (ours)",
            kn_mod.CROSSWALK_ORIGIN,
            knowledge_dir / kn_mod.CROSSWALK_FILE,
            {"行": len(rows), "专业类 covered": len(catalogue.classes) - len(uncovered)},
            [f"专业类 without a crosswalk row: {', '.join(uncovered)}"] if uncovered else [],
            0,
            len(rels),
        )
    )
