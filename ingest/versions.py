"""Versions of one work: the newest `version_date` is current, the older ones superseded, each older version
linked from the one that replaced it (newer -SUPERSEDES-> older).

Statuses are recomputed from the stored documents whenever a document is added or deleted. They are
written as a computed origin per work (`computed:versions:<work>`, like matching's `computed:serves`): a
document's own writes stay its own, clearing its work's origin first makes a deletion remove the document
whole, and an upload recomputes only its own work (a library has tens of thousands of documents; the one
origin for every work that stores written before this had, `computed:versions`, is taken apart by the
first refresh that meets it).
Documents of one work are versions of each other only when their issuers agree (or one names none) and
neither is a news item: two provinces' 《职业教育条例》 carry their province in the title, but two
notices with the same plain title from different bodies are different documents.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping

from pydantic import BaseModel, Field

from graph.models import Document, DocumentStatus, Entity, Relation
from graph.store import GraphStore

VERSIONS_ORIGIN = "computed:versions"
_UNVERSIONED_KINDS = frozenset({"新闻"})


class VersionPlan(BaseModel):
    status: dict[str, DocumentStatus] = Field(default_factory=dict)  # doc id → status
    supersedes: list[tuple[str, str]] = Field(default_factory=list)  # (newer id, older id)
    versioned: set[str] = Field(default_factory=set)  # documents that share their work with another


def _same_issuers(a: Document, b: Document) -> bool:
    return not a.issuers or not b.issuers or bool(set(a.issuers) & set(b.issuers))


def _when(doc: Document) -> str | None:
    return doc.version_date or doc.written_date or doc.date


def plan_versions(docs: list[Document]) -> VersionPlan:
    plan = VersionPlan(status={d.id: "current" for d in docs})
    by_work: dict[str, list[Document]] = defaultdict(list)
    for d in docs:
        if d.work and d.kind not in _UNVERSIONED_KINDS:
            by_work[d.work].append(d)
    for group in by_work.values():
        for family in _families(group):
            dated = sorted((d for d in family if _when(d)), key=lambda d: (_when(d), d.id))
            if len(dated) < 2:
                continue
            plan.versioned.update(d.id for d in dated)
            newest = _when(dated[-1])
            for older, newer in itertools.pairwise(dated):
                if _when(older) == _when(newer):
                    continue  # two texts of the same date: neither replaces the other
                plan.supersedes.append((_successor(dated, older).id, older.id))
            for d in dated:
                if _when(d) != newest:
                    plan.status[d.id] = "superseded"
    return plan


def _families(group: list[Document]) -> list[list[Document]]:
    """Split one work's documents into groups whose issuers agree."""
    families: list[list[Document]] = []
    for doc in sorted(group, key=lambda d: d.id):
        home = next((f for f in families if all(_same_issuers(doc, other) for other in f)), None)
        if home is None:
            families.append([doc])
        else:
            home.append(doc)
    return families


def _successor(dated: list[Document], older: Document) -> Document:
    """The first version dated after `older` (the one that replaced it)."""
    when = _when(older)
    return next(d for d in dated if (_when(d) or "") > (when or ""))


def versions_origin(work: str) -> str:
    return f"{VERSIONS_ORIGIN}:{work}"


def refresh_versions(store: GraphStore, works: Iterable[str | None] | None = None) -> VersionPlan:
    """Recompute statuses and SUPERSEDES of these works (every work when None) from the stored documents;
    writes a work only when something in it changed. Returns the plan of the works it looked at."""
    if works is not None:
        wanted = sorted({w for w in works if w})
        groups = {w: store.find_documents(work=w) for w in wanted}
        if not _holds_legacy_origin(store, [d.id for docs in groups.values() for d in docs]):
            return _refresh(store, groups)
    docs = store.list_documents()
    store.delete_origin(VERSIONS_ORIGIN)  # a store written before per-work origins
    groups = defaultdict(list)
    for d in docs:
        groups[d.work or ""].append(d)
    return _refresh(store, groups)


def _holds_legacy_origin(store: GraphStore, doc_ids: list[str]) -> bool:
    return any(VERSIONS_ORIGIN in n.origins for n in store.get_nodes(doc_ids).values())


def _refresh(store: GraphStore, groups: Mapping[str, list[Document]]) -> VersionPlan:
    plan = VersionPlan()
    ids = [d.id for docs in groups.values() for d in docs]
    out = store.edges_of_many(ids, ["SUPERSEDES"], "out")  # by source: each work finds its own at once
    for work, docs in groups.items():
        part = plan_versions(docs)
        plan.status.update(part.status)
        plan.supersedes += part.supersedes
        plan.versioned |= part.versioned
        changed = {d.id for d in docs if d.status != part.status[d.id]}
        stored = {(e.source, e.target) for d in docs for e in out.get(d.id, [])}
        if not changed and stored == set(part.supersedes):
            continue
        by_id = {d.id: d for d in docs}
        touched = sorted(part.versioned | changed)
        entities = [
            Entity(id=i, label="Document", name=by_id[i].title, properties={"status": part.status[i]})
            for i in touched
        ]
        relations = [
            Relation(
                source=newer, target=older, type="SUPERSEDES", evidence=by_id[newer].header_passage_id,
                properties={"version_date": _when(by_id[newer]), "superseded_version_date": _when(by_id[older])},
            )
            for newer, older in part.supersedes
        ]
        store.replace_origin(entities, relations, versions_origin(work))
    return plan


def delete_document(store: GraphStore, doc_id: str) -> bool:
    """Delete a document and recompute the versions of what is left of its work. Its work's computed origin
    is cleared first, so that nothing but the document's own origin holds its node; the refresh writes it
    back for the rest."""
    doc = store.get_document(doc_id)
    if doc is None:
        return False
    legacy = _holds_legacy_origin(store, [doc_id])
    store.delete_origin(VERSIONS_ORIGIN if legacy else versions_origin(doc.work or ""))
    deleted = store.delete_document(doc_id)
    refresh_versions(store, None if legacy else [doc.work])
    return deleted


def superseded_lines(docs: list[Document], plan: VersionPlan) -> list[str]:
    """'中华人民共和国职业教育法 (1996-05-15) → superseded by 职业教育法(2022-04-20).md' lines for the summary."""
    by_id = {d.id: d for d in docs}
    return [
        f"{by_id[older].title} ({_when(by_id[older])}, {by_id[older].source}) superseded by "
        f"{by_id[newer].source} ({_when(by_id[newer])})"
        for newer, older in plan.supersedes
        if newer in by_id and older in by_id
    ]
