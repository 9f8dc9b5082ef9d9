"""Entities and relations from passages, without an LLM. Every relation carries its evidence passage id.

Organisations, programmes and targets come from the recognisers; this module resolves them to one
entity each (stable ids from canonical names), and reads the relations between them:
ISSUED_BY (document → issuer), MENTIONS (passage → organisation/programme), ASSIGNED_TO (programme →
organisation: 支持X、Y建设Z, 确定X为Z, Z由X牵头), SETS_TARGET (document/programme → target), LOCATED_IN
(organisation → region → parent region).
"""

from __future__ import annotations

import re

from graph.models import Entity, Passage, PropertyValue, Relation, RelType, stable_id
from graph.text import sentence_spans, strip_quotes
from graph.views import aliases_of
from ingest.knowledge import KnowledgeBase
from ingest.models import DocumentMetadata, Extraction, Mention
from ingest.orgs import OrgRecogniser
from ingest.programmes import ProgrammeRecogniser
from ingest.results import find_results
from ingest.targets import find_targets

_LIST_JOIN = re.compile(r"^(、|，|,|和|及|与|以及|、以及)$")
_ASSIGN_BEFORE = re.compile(
    r"(牵头建设|牵头组建|牵头|承建|建设|创建|打造|培育|组建|申报|负责|举办|承办|开设|入选|确定为|认定为|列为|作为|为)"
)
_ASSIGN_AFTER = re.compile(r"^由(?P<orgs>.+?)(?P<verb>牵头|负责|承建|建设|组建|举办|承办)")


_LEGAL_KINDS = frozenset({"法律", "行政法规", "地方性法规", "部门规章"})


def org_id(name: str) -> str:
    return stable_id("org", name)


def programme_id(name: str) -> str:
    return stable_id("prog", name)


def region_id(name: str) -> str:
    return stable_id("region", name)


class Extractor:
    def __init__(self, kb: KnowledgeBase, orgs: OrgRecogniser, programmes: ProgrammeRecogniser) -> None:
        self._kb = kb
        self._orgs = orgs
        self._progs = programmes

    def extract(
        self,
        doc_id: str,
        passages: list[Passage],
        metadata: DocumentMetadata,
        section_headings: dict[str, list[str]],
    ) -> Extraction:
        """`section_headings` maps a section id to its headings from the root down (for context)."""
        region = metadata.region
        org_mentions = {p.id: self._orgs.find(p.text, region) for p in passages}
        # Pass 1 finds the programmes named with 楚怡 and the aliases the text defines in parentheses;
        # pass 2 uses both, so later short or alias mentions resolve to the same programme.
        doc_aliases: dict[str, str] = {}
        canon: set[str] = set()
        for p in passages:
            found = self._progs.find(p.text, org_mentions[p.id])
            doc_aliases.update(self._progs.parenthetical_aliases(p.text, found))
            canon |= {m.canonical for m in found}
        canon = {doc_aliases.get(c, c) for c in canon}
        short_forms = {c[2:]: c for c in canon if c.startswith("楚怡") and len(c) - 2 >= 5}
        prog_mentions = {
            p.id: self._progs.find(p.text, org_mentions[p.id], doc_aliases, short_forms) for p in passages
        }
        acc = _Accumulator(doc_id)
        for p in passages:
            for m in org_mentions[p.id]:
                self._add_org(acc, m.canonical, m.kind or "government", m.region, p.id, m.surface)
                acc.relate(p.id, org_id(m.canonical), "MENTIONS", p.id)
            for m in prog_mentions[p.id]:
                self._add_programme(acc, m.canonical, p.id, m.surface, doc_aliases)
                acc.relate(p.id, programme_id(m.canonical), "MENTIONS", p.id)
            self._assignments(acc, p, org_mentions[p.id], prog_mentions[p.id])
            own_heading = section_headings.get(p.section_id or "", [])[-1:]
            context_progs = self._section_programmes(own_heading, doc_aliases)
            heading_end = _heading_end(p.text, own_heading[0]) if own_heading else 0
            self._targets(acc, doc_id, p, prog_mentions[p.id], context_progs, heading_end, _year_of(metadata),
                          metadata.kind)  # fmt: skip
        self._issuers(acc, doc_id, passages, metadata)
        self._describe_programmes(acc, passages, prog_mentions)
        # A property this document does not know is left out, not written as null: another document
        # may know it (a programme's description), and a null would erase it in the shared node.
        for entity in acc.entities.values():
            entity.properties = {k: v for k, v in entity.properties.items() if v is not None}
        return Extraction(entities=list(acc.entities.values()), relations=acc.relations)

    # --- entities ----------------------------------------------------------------------------
    def _add_org(self, acc: _Accumulator, name: str, kind: str, region: str | None, evidence: str,
                 surface: str | None = None) -> None:  # fmt: skip
        oid = org_id(name)
        entity = acc.entities.get(oid)
        if entity is None:
            known = self._kb.organisation_aliases
            aliases = sorted({a.alias for a in known if a.canonical == name and a.alias != name})
            entity = Entity(id=oid, label="Organization", name=name,
                            properties={"kind": kind, "region": region, "aliases": aliases})  # fmt: skip
            acc.entities[oid] = entity
            if region:
                self._locate(acc, oid, region, evidence)
        if surface and surface != name:
            _add_alias(entity, surface)

    def _locate(self, acc: _Accumulator, node: str, region: str, evidence: str) -> None:
        chain = self._kb.region_chain(region) or [region]
        for i, name in enumerate(chain):
            rid = region_id(name)
            if rid not in acc.entities:
                row = self._kb.region_by_name.get(name)
                acc.entities[rid] = Entity(id=rid, label="Region", name=name,
                                           properties={"level": row.level if row else None})  # fmt: skip
            acc.relate(node if i == 0 else region_id(chain[i - 1]), rid, "LOCATED_IN", evidence)

    def _add_programme(self, acc: _Accumulator, name: str, evidence: str, surface: str | None,
                       doc_aliases: dict[str, str]) -> None:  # fmt: skip
        pid = programme_id(name)
        entity = acc.entities.get(pid)
        if entity is None:
            aliases = set(self._kb.programme_aliases(name)) | {a for a, c in doc_aliases.items() if c == name}
            category = next((p.category for p in self._kb.programmes if p.canonical == name), None)
            entity = Entity(id=pid, label="Programme", name=name,
                            properties={"aliases": sorted(aliases - {name}), "category": category,
                                        "description": None})  # fmt: skip
            acc.entities[pid] = entity
        if surface:
            plain = strip_quotes(surface)
            if plain != name and plain.startswith("楚怡"):
                _add_alias(entity, plain)

    def _section_programmes(self, headings: list[str], doc_aliases: dict[str, str]) -> list[str]:
        found: list[str] = []
        for heading in reversed(headings):  # the nearest heading first
            for m in self._progs.find(heading, [], doc_aliases):
                if m.canonical not in found:
                    found.append(m.canonical)
        return found

    # --- relations ---------------------------------------------------------------------------
    def _issuers(self, acc: _Accumulator, doc_id: str, passages: list[Passage], meta: DocumentMetadata) -> None:
        if not passages:
            return
        for name in meta.issuers:
            evidence = next((p.id for p in passages if name in p.text), None)
            if evidence is None:
                aliases = [a.alias for a in self._kb.organisation_aliases if a.canonical == name]
                evidence = next((p.id for p in passages if any(a in p.text for a in aliases)), passages[0].id)
            row = self._kb.alias_map.get(name)
            region = row.region if row else self._region_prefix(name)
            self._add_org(acc, name, "government", region, evidence)
            acc.relate(doc_id, org_id(name), "ISSUED_BY", evidence)

    def _region_prefix(self, name: str) -> str | None:
        """湖南省卫生健康委员会 → 湖南省 (the longest region name the organisation's name starts with)."""
        found = [r.name for r in self._kb.regions if name.startswith(r.name)]
        return max(found, key=len) if found else None

    def _assignments(self, acc: _Accumulator, p: Passage, orgs: list[Mention], progs: list[Mention]) -> None:
        for s, e in sentence_spans(p.text):
            in_orgs = [o for o in orgs if s <= o.start and o.end <= e]
            for prog in (g for g in progs if s <= g.start and g.end <= e):
                for org, verb in self._assigned(p.text, prog, in_orgs, e):
                    acc.relate(programme_id(prog.canonical), org_id(org.canonical), "ASSIGNED_TO", p.id,
                               {"role": verb})  # fmt: skip

    def _assigned(self, text: str, prog: Mention, orgs: list[Mention], sent_end: int) -> list[tuple[Mention, str]]:
        before = [o for o in orgs if o.end <= prog.start]
        if before:
            last = before[-1]
            between = text[last.end : prog.start]
            verb = _ASSIGN_BEFORE.search(between)
            if verb and len(between) <= 16 and not re.search("[，,。；;：:]", between):
                group = [last]
                for o in reversed(before[:-1]):
                    gap = text[o.end : group[-1].start]
                    if not _LIST_JOIN.match(gap):
                        break
                    group.append(o)
                return [(o, verb.group()) for o in reversed(group)]
        after = _ASSIGN_AFTER.match(re.sub("^[”\"」』）)]+", "", text[prog.end : sent_end]))
        if after:
            offset = prog.end + (len(text[prog.end : sent_end]) - len(text[prog.end : sent_end].lstrip("”\"」』）)")))
            lo, hi = offset + after.start("orgs"), offset + after.end("orgs")
            return [(o, after.group("verb")) for o in orgs if lo <= o.start and o.end <= hi]
        return []

    def _targets(self, acc: _Accumulator, doc_id: str, p: Passage, progs: list[Mention],
                 context_progs: list[str], heading_end: int, doc_year: int | None,
                 metadata_kind: str | None) -> None:  # fmt: skip
        # Laws set rules, not counts of what was done: their numbers are never reported results.
        results = [] if metadata_kind in _LEGAL_KINDS else find_results(p.text, progs, doc_year)
        for r in results:
            rid = stable_id("target", doc_id, str(r.quantity), r.unit, r.object, "result")
            result_props: dict[str, PropertyValue] = {
                "quantity": r.quantity, "unit": r.unit, "object": r.object, "kind": "result", "year": r.year,
                "qualifier": r.qualifier, "text": r.text, "doc_id": doc_id,
            }  # fmt: skip
            acc.entities[rid] = Entity(id=rid, label="Target", name=f"{r.quantity}{r.unit}{r.object}",
                                       properties=result_props)  # fmt: skip
            acc.relate(doc_id, rid, "SETS_TARGET", p.id, {"kind": "result"})
            if r.programme:
                acc.relate(programme_id(r.programme), rid, "SETS_TARGET", p.id, {"kind": "result"})
        for t in find_targets(p.text, progs):
            if any(r.start <= t.start < r.end or t.start <= r.start < t.end for r in results):
                continue  # the count is a reported result, not a target
            tid = stable_id("target", doc_id, str(t.quantity), t.unit, t.object)
            props: dict[str, PropertyValue] = {
                "quantity": t.quantity, "unit": t.unit, "object": t.object, "verb": t.verb, "scope": t.scope,
                "deadline": t.deadline, "qualifier": t.qualifier, "text": t.text, "doc_id": doc_id, "kind": "target",
            }  # fmt: skip
            acc.entities[tid] = Entity(id=tid, label="Target", name=f"{t.quantity}{t.unit}{t.object}", properties=props)
            acc.relate(doc_id, tid, "SETS_TARGET", p.id)
            if t.programme:
                acc.relate(programme_id(t.programme), tid, "SETS_TARGET", p.id)
            elif context_progs and t.start >= heading_end:
                # 1.遴选建设一批“楚怡”高水平职业本科专业群。遴选建设10个特色项目… — the item's heading
                # names the programme the count belongs to.
                self._add_programme(acc, context_progs[0], p.id, None, {})
                acc.relate(programme_id(context_progs[0]), tid, "SETS_TARGET", p.id, {"via": "section heading"})

    def _describe_programmes(self, acc: _Accumulator, passages: list[Passage],
                             mentions: dict[str, list[Mention]]) -> None:  # fmt: skip
        """The sentence that defines a programme: one with a modifier ending in 的 right before the name
        (集…为一体的“楚怡”文化传承基地), else the sentence after a heading that names it."""
        best: dict[str, tuple[int, str]] = {}
        for p in passages:
            for m in mentions[p.id]:
                sent = next(((s, e) for s, e in sentence_spans(p.text) if s <= m.start < e), None)
                if sent is None:
                    continue
                text = p.text[sent[0] : sent[1]].strip()
                lead = p.text[max(0, m.start - 2) : m.start].replace("“", "").replace('"', "")
                score = 3 if lead.endswith("的") and len(text) >= 20 else 0
                heading = p.text[: sent[0]]
                if score == 0 and len(text) >= 20 and heading.count("。") == 1 and _names(heading, m):
                    score = 2  # 1.建设X。建设X，深入研究… — the sentence after a heading naming X
                if score and (m.canonical not in best or score > best[m.canonical][0]):
                    best[m.canonical] = (score, text)
        for name, (_, sentence) in best.items():
            entity = acc.entities.get(programme_id(name))
            if entity is not None:
                entity.properties["description"] = sentence


class _Accumulator:
    def __init__(self, doc_id: str) -> None:
        self.doc_id = doc_id
        self.entities: dict[str, Entity] = {}
        self.relations: list[Relation] = []
        self._seen: set[tuple[str, str, str, str | None]] = set()

    def relate(self, source: str, target: str, rel_type: RelType, evidence: str | None,
               props: dict[str, PropertyValue] | None = None) -> None:  # fmt: skip
        key = (source, rel_type, target, evidence)
        if key in self._seen:
            return
        self._seen.add(key)
        relation = Relation(source=source, target=target, type=rel_type, evidence=evidence, properties=props or {})
        self.relations.append(relation)


def _year_of(meta: DocumentMetadata) -> int | None:
    """The year a document reports for: of its publication, else of its version."""
    date = meta.date or meta.version_date
    return int(date[:4]) if date and date[:4].isdigit() else None


def _heading_end(text: str, heading: str) -> int:
    """Where the section heading ends inside the passage text (0 when the passage does not repeat it)."""
    head = heading.rstrip("…")
    at = text.find(head)
    return at + len(head) if at != -1 else 0


def _names(text: str, mention: Mention) -> bool:
    plain = strip_quotes(text)
    return mention.canonical in plain or strip_quotes(mention.surface) in plain


def _add_alias(entity: Entity, alias: str) -> None:
    aliases = aliases_of(entity.properties)
    if alias not in aliases and alias != entity.name:
        entity.properties["aliases"] = sorted([*aliases, alias])
