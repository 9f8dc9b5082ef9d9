// The Chinese names of the graph's labels, relationship types, properties and answer kinds: all from
// GET /api/vocabulary (the page keeps no copy). Until it has arrived, keys show as they are.

import { getJSON } from "./api.js";

export const vocabulary = {
  labels: {}, relations: {}, properties: {}, organization_kinds: {}, intents: {}, modes: {},
  document_statuses: {}, target_kinds: {}, match_signals: {}, match_evidence: {},
};

export const vocabularyLoaded = getJSON("/api/vocabulary").then(
  (v) => { Object.assign(vocabulary, v); },
  (err) => { console.warn("vocabulary unavailable", err); },
);

export const labelName = (label) => vocabulary.labels[label] || label;
export const relationName = (type) => (vocabulary.relations[type] || {}).name || vocabulary.properties[type] || type;
export const propertyName = (key) => vocabulary.properties[key] || key;
export const kindName = (value) => vocabulary.organization_kinds[value] || value;
export const statusName = (value) => vocabulary.document_statuses[value] || value;
export const intentName = (value) => vocabulary.intents[value] || value;
export const modeName = (value) => vocabulary.modes[value] || value;
export const signalName = (value) => vocabulary.match_signals[value] || value;
export const evidenceName = (value) => vocabulary.match_evidence[value] || value;

// How a relation reads from one end: a school "承担" a programme it is ASSIGNED_TO from.
export function relationLabel(type, direction) {
  const words = vocabulary.relations[type];
  if (!words) return type;
  return direction === "out" ? words.outgoing : words.incoming;
}
