// The graph explorer: Cytoscape.js (npm, served by the app) with the fCoSE layout. Nodes are added,
// never replaced: expanding a node adds its neighbours in place; a path search adds the paths and
// highlights them. Every label and relation is named through the vocabulary, names are shown whole
// (wrapped). Click a node for its entity card with evidence passages; double-click to expand.

import { getJSON } from "./api.js";
import { $, el, setStatus } from "./dom.js";
import { entityCard, fetchEntity } from "./entities.js";
import { labelName, relationName, vocabularyLoaded } from "./vocab.js";

// One colour per node label (a style, not vocabulary); unknown labels are grey.
const COLORS = {
  Organization: "#2f6fb0", Programme: "#a3342a", Target: "#c07f12", Region: "#4d8a4f", Document: "#6a4c93",
  Passage: "#8a8f98", Section: "#8a8f98", Specialty: "#1f8a8a", SpecialtyClass: "#3f9f8f",
  SpecialtyCategory: "#5fae9a", Industry: "#7a5c2e", IndustryChain: "#b0568f",
};
const NEIGHBOUR_LIMIT = 40;  // per expansion: more than this many new nodes at once is unreadable

let cy = null;
let hasFcose = false;
const expanded = new Set();
const pathEnds = { source: null, target: null };  // {id, name} chosen from the graph

function cssVar(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

function graphStyle() {
  const ink = cssVar("--ink"), panel = cssVar("--panel"), muted = cssVar("--muted"), line = cssVar("--edge");
  const accent = cssVar("--accent");
  return [
    { selector: "node", style: {
      "background-color": (n) => COLORS[n.data("kind")] || "#888", label: "data(name)", color: ink,
      "font-size": 11, "text-wrap": "wrap", "text-max-width": 130, "text-overflow-wrap": "anywhere", "text-valign": "bottom", "text-margin-y": 4,
      "text-background-color": panel, "text-background-opacity": 0.8, "text-background-padding": 1,
      width: 16, height: 16, "border-width": 2, "border-color": panel,
    } },
    { selector: "node.expanded", style: { width: 22, height: 22, "font-weight": 600 } },
    { selector: "node:selected", style: { "border-color": accent, "border-width": 4 } },
    { selector: "edge", style: {
      width: 1.3, "line-color": line, "target-arrow-color": line, "target-arrow-shape": "triangle",
      "curve-style": "bezier", label: "data(relation)", "font-size": 9, color: muted,
      "text-rotation": "autorotate", "text-background-color": panel, "text-background-opacity": 0.85,
      "text-background-padding": 1,
    } },
    { selector: "edge.path", style: { "line-color": accent, "target-arrow-color": accent, width: 3 } },
    { selector: "node.path", style: { "border-color": accent, "border-width": 4 } },
    { selector: ".faded", style: { opacity: 0.25 } },
  ];
}

function layoutOptions(fit) {
  return {
    name: hasFcose ? "fcose" : "cose", animate: false, fit, padding: 30, randomize: false,
    // Labels count as part of a node, so that names never lie on top of each other.
    nodeDimensionsIncludeLabels: true, nodeSeparation: 90, idealEdgeLength: 110, nodeRepulsion: 9000,
    packComponents: true, quality: "default",
  };
}
export function graphAvailable() {
  return typeof window.cytoscape === "function";
}

function ensureGraph() {
  if (cy) return cy;
  if (!graphAvailable()) throw new Error("图形库未安装（运行 scripts/setup 安装 npm 依赖）");
  if (window.cytoscapeFcose && !hasFcose) { window.cytoscape.use(window.cytoscapeFcose); hasFcose = true; }
  cy = window.cytoscape({
    container: $("#cy"), style: graphStyle(), wheelSensitivity: 0.3, minZoom: 0.15, maxZoom: 4,
    boxSelectionEnabled: false,
  });
  cy.on("tap", "node", (e) => selectNode(e.target.id()));
  cy.on("dbltap", "node", (e) => expand(e.target.id()));
  cy.on("tap", (e) => { if (e.target === cy) clearPathHighlight(); });
  window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => cy.style(graphStyle()));
  return cy;
}

export function resizeGraph() {
  if (cy) { cy.resize(); }
}

function nodeData(n) {
  return { id: n.id, name: n.name || n.id, kind: n.label, kindName: labelName(n.label) };
}

function edgeId(e) {
  return `${e.source}|${e.type}|${e.target}`;
}

// Adds what is not there yet; returns how many nodes were new. New nodes start next to `near`.
function addElements(nodes, edges, near) {
  const g = ensureGraph();
  const at = near && g.$id(near).nonempty() ? g.$id(near).position() : { x: 0, y: 0 };
  const fresh = [];
  for (const n of nodes) {
    if (g.$id(n.id).empty()) {
      fresh.push({ group: "nodes", data: nodeData(n),
        position: { x: at.x + (Math.random() - 0.5) * 80, y: at.y + (Math.random() - 0.5) * 80 } });
    }
  }
  g.add(fresh);
  const links = [];
  for (const e of edges) {
    const id = edgeId(e);
    if (g.$id(id).empty() && g.$id(e.source).nonempty() && g.$id(e.target).nonempty()) {
      links.push({ group: "edges", data: { id, source: e.source, target: e.target, type: e.type, relation: relationName(e.type) } });
    }
  }
  g.add(links);
  renderLegend();
  return fresh.length;
}

// Fitting two or three nodes would blow them up: the view zooms in no further than this after a layout.
const MAX_FIT_ZOOM = 1.5;

function relayout(fit = true) {
  if (!cy || cy.elements().empty()) return;
  const layout = cy.layout(layoutOptions(fit));
  layout.one("layoutstop", () => {
    if (fit && cy.zoom() > MAX_FIT_ZOOM) { cy.zoom(MAX_FIT_ZOOM); cy.center(); }
  });
  layout.run();
}

export async function expand(id) {
  await vocabularyLoaded;
  const status = $("#graph-status");
  try {
    const sub = await getJSON(`/api/graph/neighbors/${encodeURIComponent(id)}?depth=1&limit=${NEIGHBOUR_LIMIT}`);
    const added = addElements(sub.nodes, sub.edges, id);
    ensureGraph().$id(id).addClass("expanded");
    expanded.add(id);
    relayout(true);
    const center = sub.nodes.find((n) => n.id === id);
    setStatus(status, `已展开「${center ? center.name : id}」：新增 ${added} 个节点，图中共 ${cy.nodes().length} 个节点、${cy.edges().length} 条关系。`);
    return added;
  } catch (err) {
    setStatus(status, `展开失败：${err.message}`, "error");
    return 0;
  }
}

// Opens the graph on an entity: it is added (with its neighbours) to what is already shown.
export async function showInGraph(id) {
  await expand(id);
  selectNode(id);
}

export async function selectNode(id) {
  const g = ensureGraph();
  g.elements().unselect();
  g.$id(id).select();
  const box = $("#graph-card");
  const node = g.$id(id);
  const name = node.nonempty() ? node.data("name") : id;
  const actions = el("div", { class: "card-actions" },
    el("button", { type: "button", class: "expand-node", onclick: () => expand(id) }, expanded.has(id) ? "再次展开" : "展开邻居"),
    el("button", { type: "button", onclick: () => setPathEnd("source", id, name) }, "设为起点"),
    el("button", { type: "button", onclick: () => setPathEnd("target", id, name) }, "设为终点"));
  box.replaceChildren(el("p", { class: "muted" }, `正在读取「${name}」…`));
  try {
    box.replaceChildren(entityCard(await fetchEntity(id), { evidence: true, relations: 12 }), actions);
  } catch (_) {
    // Documents and sections have no entity card: their name and kind are what there is.
    box.replaceChildren(el("div", { class: "entity-card", "data-id": id },
      el("h3", {}, el("span", { class: "badge" }, node.nonempty() ? node.data("kindName") : ""), name)), actions);
  }
}

function setPathEnd(which, id, name) {
  pathEnds[which] = { id, name };
  $(which === "source" ? "#path-source" : "#path-target").value = name;
}

// The value of a path input: the id of the node chosen from the graph while its name is unchanged.
function endValue(which) {
  const value = $(which === "source" ? "#path-source" : "#path-target").value.trim();
  const chosen = pathEnds[which];
  return chosen && chosen.name === value ? chosen.id : value;
}

function clearPathHighlight() {
  if (cy) cy.elements().removeClass("path faded");
}

function highlightPath(path) {
  clearPathHighlight();
  const ids = new Set([...path.nodes.map((n) => n.id), ...path.edges.map(edgeId)]);
  cy.elements().forEach((ele) => { ele.addClass(ids.has(ele.id()) ? "path" : "faded"); });
  // An edge may have been returned the other way round: highlight it either way.
  for (const e of path.edges) cy.$id(`${e.target}|${e.type}|${e.source}`).removeClass("faded").addClass("path");
}

function pathText(path) {
  const parts = [path.nodes[0].name];
  path.edges.forEach((e, i) => {
    const from = path.nodes[i], to = path.nodes[i + 1];
    const forward = e.source === from.id;
    parts.push(forward ? ` —${relationName(e.type)}→ ` : ` ←${relationName(e.type)}— `, to.name);
  });
  return parts.join("");
}

export async function findPaths(source, target) {
  await vocabularyLoaded;
  const list = $("#path-list");
  const empty = $("#path-empty");
  const status = $("#graph-status");
  if (!source || !target) { setStatus(status, "请填写起点和终点。", "error"); return 0; }
  try {
    const params = new URLSearchParams({ source, target, max_hops: "4", limit: "5" });
    const body = await getJSON(`/api/graph/paths?${params}`);
    if (!body.paths.length) {
      list.replaceChildren();
      empty.hidden = false;
      empty.textContent = `「${body.source.name}」和「${body.target.name}」之间在 4 步以内没有关系路径。`;
      return 0;
    }
    for (const p of body.paths) addElements(p.nodes, p.edges, null);
    relayout(true);
    empty.hidden = true;
    list.replaceChildren(...body.paths.map((p, i) => el("li", {},
      el("button", { type: "button", class: "path-item", onclick: () => highlightPath(p) },
        `${p.length} 步：${pathText(p)}`))));
    highlightPath(body.paths[0]);
    setStatus(status, `找到 ${body.paths.length} 条路径（最短 ${body.paths[0].length} 步），已在图中高亮第一条。`);
    return body.paths.length;
  } catch (err) {
    setStatus(status, `查找路径失败：${err.message}`, "error");
    return 0;
  }
}

function renderLegend() {
  const kinds = [...new Set(cy.nodes().map((n) => n.data("kind")))];
  $("#graph-legend").replaceChildren(...kinds.map((k) => el("li", {},
    el("span", { class: "dot", style: `background:${COLORS[k] || "#888"}` }), labelName(k))));
}

export function clearGraph() {
  if (!cy) return;
  cy.elements().remove();
  expanded.clear();
  $("#graph-legend").replaceChildren();
  $("#path-list").replaceChildren();
  $("#path-empty").hidden = false;
  $("#graph-card").replaceChildren(el("p", { class: "muted" }, "单击图中的节点，这里显示它的实体卡片和出处段落。"));
}

// The names shown in the graph (nodes and edges), for tests that check no schema word is displayed.
export function shownLabels() {
  if (!cy) return [];
  return [...cy.nodes().map((n) => n.data("name")), ...cy.edges().map((e) => e.data("relation")),
    ...[...document.querySelectorAll("#graph-legend li")].map((li) => li.textContent)];
}

let suggestTimer = null;
// Entity names for the inputs' datalist, from /api/entities?q=.
export function suggestEntities(q) {
  clearTimeout(suggestTimer);
  if (!q.trim()) return;
  suggestTimer = setTimeout(async () => {
    try {
      const body = await getJSON(`/api/entities?${new URLSearchParams({ q, limit: "12" })}`);
      $("#entity-options").replaceChildren(...body.results.map((n) => el("option", { value: n.name }, labelName(n.label))));
    } catch (_) { /* suggestions are optional */ }
  }, 200);
}

export async function addByName(q) {
  const status = $("#graph-status");
  try {
    const body = await getJSON(`/api/entities?${new URLSearchParams({ q, limit: "5" })}`);
    if (!body.results.length) { setStatus(status, `没有找到名为「${q}」的实体。`, "error"); return; }
    const exact = body.results.find((n) => n.name === q) || body.results[0];
    await showInGraph(exact.id);
  } catch (err) {
    setStatus(status, `查找失败：${err.message}`, "error");
  }
}

export function wireGraph() {
  // For the browser tests and the console: the Cytoscape instance once it exists, and the actions.
  window.chuyiGraph = { get cy() { return cy; }, expand, selectNode, findPaths, shownLabels };
  $("#graph-find").addEventListener("submit", (e) => { e.preventDefault(); const q = $("#graph-query").value.trim(); if (q) addByName(q); });
  $("#path-form").addEventListener("submit", (e) => { e.preventDefault(); findPaths(endValue("source"), endValue("target")); });
  for (const id of ["#graph-query", "#path-source", "#path-target"]) {
    $(id).addEventListener("input", (e) => suggestEntities(e.target.value));
  }
  $("#graph-fit").addEventListener("click", () => cy && cy.fit(undefined, 30));
  $("#graph-relayout").addEventListener("click", () => relayout(true));
  $("#graph-clear").addEventListener("click", clearGraph);
  if (!graphAvailable()) setStatus($("#graph-status"), "图形库未安装（运行 scripts/setup 安装 npm 依赖）。", "error");
}
