// Entity cards (/api/entities/{id}): name, kind, properties, relations, and on request the evidence
// passages each relation was read from.

import { getJSON } from "./api.js";
import { el } from "./dom.js";
import { kindName, labelName, propertyName, relationLabel, vocabulary } from "./vocab.js";

// The properties a card shows, in this order (their names come from the vocabulary).
const CARD_PROPERTIES = ["kind", "region", "quantity", "unit", "deadline", "level", "code", "year"];

export function fetchEntity(id) {
  return getJSON(`/api/entities/${encodeURIComponent(id)}`);
}

function propertyValue(key, value) {
  if (key === "kind") return kindName(value) !== value ? kindName(value) : (vocabulary.target_kinds[value] || value);
  return Array.isArray(value) ? value.join("、") : value;
}

// `onGraph(id)`: the card's 关系图 button; `evidence`: list the passages behind each relation.
export function entityCard(detail, { onGraph = null, evidence = false, relations = 6 } = {}) {
  const e = detail.entity;
  const p = e.properties || {};
  const props = [];
  if (Array.isArray(p.aliases) && p.aliases.length) props.push(`${propertyName("aliases")}：${p.aliases.join("、")}`);
  for (const key of CARD_PROPERTIES) {
    const value = p[key];
    if (value !== undefined && value !== null && value !== "") props.push(`${propertyName(key)}：${propertyValue(key, value)}`);
  }
  const mentions = (detail.relation_counts || {}).MENTIONS || 0;
  if (mentions) props.push(`${mentions} 个段落提到`);
  const shown = detail.relations.filter((r) => r.type !== "MENTIONS").slice(0, relations);
  const items = shown.map((r) => el("li", {},
    `${relationLabel(r.type, r.direction)}：${r.other.name}`,
    evidence && r.evidence.length ? evidenceList(r.evidence) : null));
  const passages = evidence ? mentionEvidence(detail) : null;
  return el("div", { class: "entity-card", "data-id": e.id },
    el("h3", {}, el("span", { class: "badge" }, labelName(e.label)), e.name),
    props.length ? el("div", { class: "props" }, props.join(" · ")) : null,
    items.length ? el("ul", {}, items) : null,
    passages,
    onGraph ? el("button", { type: "button", class: "graph-link", onclick: () => onGraph(e.id) }, "关系图 →") : null);
}

function evidenceList(list) {
  return el("details", { class: "evidence" }, el("summary", {}, `出处 ${list.length} 段`),
    list.slice(0, 3).map((ev) => el("blockquote", { class: "passage", "data-passage": ev.passage_id },
      ev.text, el("span", { class: "source" }, `《${ev.document_title}》`))));
}

// The passages that mention the entity (the MENTIONS relations' evidence), as the card's 出处段落.
function mentionEvidence(detail) {
  const seen = new Set();
  const list = [];
  for (const r of detail.relations) {
    for (const ev of r.evidence || []) {
      if (!seen.has(ev.passage_id)) { seen.add(ev.passage_id); list.push(ev); }
    }
  }
  if (!list.length) return null;
  return el("div", { class: "card-evidence" }, el("h4", {}, `出处段落（${list.length}）`),
    list.slice(0, 5).map((ev) => el("blockquote", { class: "passage", "data-passage": ev.passage_id },
      ev.text, el("span", { class: "source" }, `《${ev.document_title}》`))));
}

// The cards of the current question only: the box is cleared first, whatever the previous one showed.
export async function showEntities(box, refs, options) {
  const wanted = [...new Map(refs.filter((r) => r && r.id).map((r) => [r.id, r])).values()].slice(0, 4);
  if (!wanted.length) {
    box.replaceChildren(el("p", { class: "muted" }, "这个问题没有识别到实体。"));
    return;
  }
  box.replaceChildren(el("p", { class: "muted" }, "正在读取实体…"));
  const cards = await Promise.all(wanted.map(async (ref) => {
    try { return entityCard(await fetchEntity(ref.id), options); } catch (_) { return null; }
  }));
  const shown = cards.filter(Boolean);
  box.replaceChildren(...(shown.length ? shown : [el("p", { class: "muted" }, "这个问题没有识别到实体。")]));
}
