"""Versions of one work: the newest `version_date` is current, the older ones superseded, each older version
linked from the one that replaced it (newer -SUPERSEDES-> older).

Statuses are recomputed from the stored documents whenever a document is added or deleted. They are
written as a computed origin (`computed:versions`, like matching's `computed:serves`): a document's own
writes stay its own, and clearing the origin first makes a deletion remove the document whole.
Documents of one work are versions of each other only when their issuers agree (or one names none) and
neither is a news item: two provinces' 《职业教育条例》 carry their province in the title, but two
notices with the same plain title from different bodies are different documents.
"""

from __future__ import annotations

import itertools
from collections import defaultdict

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


def refresh_versions(store: GraphStore) -> VersionPlan:
    """Recompute statuses and SUPERSEDES from the stored documents; writes only when something changed."""
    docs = store.list_documents()
    plan = plan_versions(docs)
    graph = store.export_json(["Document"])
    stored_edges = {(e.source, e.target) for e in graph.edges if e.type == "SUPERSEDES"}
    changed = {d.id for d in docs if d.status != plan.status[d.id]}
    if not changed and stored_edges == set(plan.supersedes):
        return plan
    store.delete_origin(VERSIONS_ORIGIN)
    by_id = {d.id: d for d in docs}
    touched = sorted(plan.versioned | changed)
    entities = [
        Entity(id=i, label="Document", name=by_id[i].title, properties={"status": plan.status[i]}) for i in touched
    ]
    relations = [
        Relation(
            source=newer, target=older, type="SUPERSEDES", evidence=by_id[newer].header_passage_id,
            properties={"version_date": _when(by_id[newer]), "superseded_version_date": _when(by_id[older])},
        )
        for newer, older in plan.supersedes
    ]
    store.upsert_entities(entities, relations, VERSIONS_ORIGIN)
    return plan


def delete_document(store: GraphStore, doc_id: str) -> bool:
    """Delete a document and recompute the versions of what is left. The computed origin is cleared first,
    so that nothing but the document's own origin holds its node; the refresh writes it back for the rest."""
    if not any(d.id == doc_id for d in store.list_documents()):
        return False
    store.delete_origin(VERSIONS_ORIGIN)
    deleted = store.delete_document(doc_id)
    refresh_versions(store)
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
