// The chat-style page: asks /api/ask/stream (server-sent events read with fetch, so that error bodies
// are readable), searches /api/search, shows entity cards (/api/entities/{id}) and draws the
// neighbourhood of an entity (/api/graph/neighbors/{id}) as SVG, and uploads documents (asking for the
// API key when a write needs one). No framework, no build step.
// The Chinese names of labels, relationship types and answer kinds come from /api/vocabulary.
"use strict";

let VOCABULARY = {
  labels: {}, relations: {}, properties: {}, organization_kinds: {}, intents: {}, modes: {},
};
const COLORS = {
  Organization: "#2f6fb0", Programme: "#a3342a", Target: "#c07f12", Region: "#4d8a4f", Document: "#6a4c93",
  Passage: "#8a8f98", Section: "#8a8f98", Specialty: "#1f8a8a", Industry: "#7a5c2e", IndustryChain: "#b0568f",
};
// The properties an entity card shows, in this order (their names are in the vocabulary).
const CARD_PROPERTIES = ["kind", "region", "quantity", "unit", "deadline", "level", "code"];

const labelName = (label) => VOCABULARY.labels[label] || label;
const relationName = (type) => (VOCABULARY.relations[type] || {}).name || VOCABULARY.properties[type] || type;
const propertyName = (key) => VOCABULARY.properties[key] || key;
const kindName = (value) => VOCABULARY.organization_kinds[value] || value;

const $ = (sel) => document.querySelector(sel);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// The error JSON of a response, or of a stream's `error` event: {"error": {"code", "message"}}.
function errorText(body) {
  return body && body.error ? `${body.error.message}（${body.error.code}）` : null;
}

async function apiError(response) {
  try {
    const text = errorText(await response.json());
    if (text) return text;
  } catch (_) { /* not JSON */ }
  return `HTTP ${response.status}`;
}

async function getJSON(url, options) {
  const response = await fetch(url, options);
  if (!response.ok) throw new Error(await apiError(response));
  return response.json();
}

// --- server-sent events over fetch ------------------------------------------------------------
async function streamAsk(question, handlers) {
  const response = await fetch(`/api/ask/stream?question=${encodeURIComponent(question)}`, {
    headers: { Accept: "text/event-stream" },
  });
  if (!response.ok) throw new Error(await apiError(response));
  const reader = response.body.getReader();
  const decoder = new TextDecoder("utf-8");
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let event = "message";
      const data = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
      }
      if (handlers[event]) handlers[event](JSON.parse(data.join("\n")));
    }
  }
}

// --- chat ---------------------------------------------------------------------------------------
function addMessage(kind, ...children) {
  const msg = el("div", { class: `msg ${kind}` }, ...children);
  const conversation = $("#conversation");
  const hint = conversation.querySelector(".hint");
  if (hint) hint.remove();
  conversation.append(msg);
  msg.scrollIntoView({ block: "end" });
  return msg;
}

function renderCitations(container, citations) {
  container.replaceChildren();
  citations.forEach((c, i) => {
    const passage = el("div", { class: "passage", hidden: "" }, c.text,
      el("span", { class: "source" }, `《${c.document_title}》${c.section ? " · " + c.section : ""}`));
    const chip = el("button", {
      type: "button", class: "citation", "aria-expanded": "false", title: c.text.slice(0, 80),
      onclick: () => {
        const open = chip.getAttribute("aria-expanded") === "true";
        chip.setAttribute("aria-expanded", String(!open));
        passage.hidden = open;
      },
    }, `[${i + 1}] ${c.document_title.slice(0, 14)}${c.section ? " " + c.section : ""}`);
    container.append(chip);
    container.parentElement.querySelector(".passages").append(passage);
  });
}

function factText(f) {
  const predicate = relationName(f.predicate);
  return `${f.subject.name} —${predicate}→ ${f.object ? f.object.name : f.value}`;
}

async function ask(question) {
  const button = $("#ask-button");
  button.disabled = true;
  addMessage("user", question);
  const meta = el("div", { class: "meta" });
  const text = el("div", { class: "answer-text pending" });
  const citations = el("div", { class: "citations" });
  // Nothing answered: the nearest passages, offered as possibly related (and the documents it may mean).
  const related = el("div", { class: "citations related", hidden: "" });
  const passages = el("div", { class: "passages" });
  const facts = el("ul", { class: "facts" });
  const bot = addMessage("bot", meta, text, citations, related, passages, facts);
  runSearch(question);
  let done = null;
  try {
    await vocabularyLoaded;
    await streamAsk(question, {
      meta: (m) => {
        meta.replaceChildren(el("span", { class: "badge" }, VOCABULARY.intents[m.intent] || m.intent),
          VOCABULARY.modes[m.mode] || m.mode, m.phrased_by === "llm" ? " · 由语言模型润色" : "",
          m.document ? ` · 《${m.document.title}》${m.document.version ? "（" + m.document.version + "）" : ""}` : "");
        showEntities(m.entities || []);
      },
      delta: (d) => { text.textContent += d.text; },
      citations: (list) => renderCitations(citations, list),
      related: (list) => {
        related.hidden = false;
        renderCitations(related, list);
        related.prepend(el("span", { class: "muted" }, "可能相关："));
      },
      facts: (list) => facts.replaceChildren(...list.slice(0, 8).map((f) => el("li", {}, factText(f)))),
      done: (response) => { done = response; },
      // Answering failed after the stream started: the server sends the error JSON as an event.
      error: (e) => { throw new Error(errorText(e) || "error"); },
    });
    if (done) {
      text.textContent = done.answer;
      const ids = [...done.entities.map((e) => e.id)];
      for (const f of done.facts) {
        ids.push(f.subject.id);
        if (f.object) ids.push(f.object.id);
      }
      showEntities([...new Set(ids)].map((id) => ({ id })));
    }
  } catch (err) {
    text.replaceChildren(el("span", { class: "error" }, `出错了：${err.message}`));
  } finally {
    text.classList.remove("pending");
    button.disabled = false;
    bot.scrollIntoView({ block: "end" });
  }
}

// --- search results -------------------------------------------------------------------------------
function highlighted(text, spans) {
  const out = [];
  let at = 0;
  for (const h of spans) {
    if (h.start < at) continue;
    out.push(text.slice(at, h.start), el("mark", {}, text.slice(h.start, h.end)));
    at = h.end;
  }
  out.push(text.slice(at));
  return out;
}

async function runSearch(query) {
  const list = $("#results");
  try {
    const body = await getJSON("/api/search", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ query, top_k: 5 }),
    });
    list.replaceChildren(...body.results.map((r) => el("li", { class: "result" },
      ...highlighted(r.text, r.highlights),
      el("span", { class: "where" }, `《${r.document.title}》${r.section ? " · " + r.section : ""} · 得分 ${r.score.toFixed(4)}`))));
    $("#results-empty").hidden = body.results.length > 0;
    if (!body.results.length) $("#results-empty").textContent = "没有匹配的段落。";
  } catch (err) {
    $("#results-empty").hidden = false;
    $("#results-empty").textContent = `检索出错：${err.message}`;
  }
}

// --- entity cards ----------------------------------------------------------------------------------
async function showEntities(refs) {
  const box = $("#entities");
  const wanted = refs.filter((r) => r && r.id).slice(0, 4);
  if (!wanted.length) return;
  const cards = await Promise.all(wanted.map(async (ref) => {
    try { return entityCard(await getJSON(`/api/entities/${encodeURIComponent(ref.id)}`)); }
    catch (_) { return null; }
  }));
  const shown = cards.filter(Boolean);
  if (shown.length) box.replaceChildren(...shown);
}

function entityCard(detail) {
  const e = detail.entity;
  const props = [];
  const p = e.properties || {};
  if (Array.isArray(p.aliases) && p.aliases.length) props.push(`又称：${p.aliases.join("、")}`);
  for (const key of CARD_PROPERTIES) {
    const value = p[key];
    if (value !== undefined && value !== null && value !== "") {
      props.push(`${propertyName(key)}：${key === "kind" ? kindName(value) : value}`);
    }
  }
  const relations = detail.relations.filter((r) => r.type !== "MENTIONS").slice(0, 6).map((r) => el("li", {},
    `${relationLabel(r)}：${r.other.name.slice(0, 30)}`));
  const mentions = (detail.relation_counts || {}).MENTIONS || 0;
  if (mentions) props.push(`${mentions} 个段落提到`);
  return el("div", { class: "entity-card", "data-id": e.id },
    el("h3", {}, el("span", { class: "badge" }, labelName(e.label)), e.name),
    props.length ? el("div", { class: "props" }, props.join(" · ")) : null,
    relations.length ? el("ul", {}, ...relations) : null,
    el("button", { type: "button", class: "graph-link", onclick: () => drawGraph(e.id) }, "关系图 →"));
}

// How a relation reads from the card's side: a school "承担" a programme it is ASSIGNED_TO from.
function relationLabel(r) {
  const words = VOCABULARY.relations[r.type];
  if (!words) return r.type;
  return r.direction === "out" ? words.outgoing : words.incoming;
}

// --- graph view (SVG, radial layout) -------------------------------------------------------------
const SVG = "http://www.w3.org/2000/svg";
function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

async function drawGraph(id) {
  const box = $("#graph");
  let sub;
  try { sub = await getJSON(`/api/graph/neighbors/${encodeURIComponent(id)}?depth=1&limit=24`); }
  catch (err) { box.replaceChildren(el("p", { class: "error" }, `关系图出错：${err.message}`)); return; }
  const W = 460, H = 340, cx = W / 2, cy = H / 2, R = 125;
  const center = sub.nodes.find((n) => n.id === sub.center);
  const others = sub.nodes.filter((n) => n.id !== sub.center);
  const pos = { [sub.center]: [cx, cy] };
  others.forEach((n, i) => {
    const a = (2 * Math.PI * i) / Math.max(others.length, 1) - Math.PI / 2;
    pos[n.id] = [cx + R * Math.cos(a), cy + R * Math.sin(a)];
  });
  const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": `${center ? center.name : id} 的关系图` });
  for (const e of sub.edges) {
    const a = pos[e.source], b = pos[e.target];
    if (!a || !b) continue;
    root.append(svg("line", { class: "edge", x1: a[0], y1: a[1], x2: b[0], y2: b[1] }));
    // Labels sit nearer the outer end, away from the centre node's own label.
    const [inner, outer] = e.target === sub.center ? [b, a] : [a, b];
    const lx = 0.35 * inner[0] + 0.65 * outer[0], ly = 0.35 * inner[1] + 0.65 * outer[1];
    root.append(svg("text", { class: "edge-label", x: lx, y: ly - 4, "text-anchor": "middle" },
      relationName(e.type)));
  }
  for (const n of sub.nodes) {
    const [x, y] = pos[n.id];
    const isCenter = n.id === sub.center;
    const g = svg("g", { class: "node", transform: `translate(${x},${y})`, "data-id": n.id });
    g.append(svg("title", {}, `${labelName(n.label)}：${n.name}`));
    g.append(svg("circle", { r: isCenter ? 12 : 8, fill: COLORS[n.label] || "#888" }));
    const name = n.name.length > 12 ? n.name.slice(0, 12) + "…" : n.name;
    g.append(svg("text", { y: isCenter ? 26 : 20, "text-anchor": "middle", "font-weight": isCenter ? "600" : "400" }, name));
    if (!isCenter) g.addEventListener("click", () => { drawGraph(n.id); showEntities([{ id: n.id }]); });
    root.append(g);
  }
  const labels = [...new Set(sub.nodes.map((n) => n.label))];
  labels.forEach((l, i) => {
    root.append(svg("circle", { cx: 10, cy: 12 + i * 14, r: 4, fill: COLORS[l] || "#888" }));
    root.append(svg("text", { class: "legend", x: 18, y: 16 + i * 14 }, labelName(l)));
  });
  $("#graph-title").textContent = center ? center.name : "";
  box.replaceChildren(root);
}

// --- writes: the API key, asked for when a write needs one ------------------------------------------
// A 401 opens the key dialog; the key is kept in sessionStorage (this tab only, gone when it closes)
// and sent as X-API-Key with every write after that.
const KEY_STORAGE = "chuyi-api-key";

function askForKey(message) {
  const dialog = $("#key-dialog");
  $("#key-message").textContent = message;
  $("#api-key").value = "";
  return new Promise((resolve) => {
    const done = (value) => {
      $("#key-form").removeEventListener("submit", submit);
      $("#key-cancel").removeEventListener("click", cancel);
      dialog.close();
      resolve(value);
    };
    const submit = (event) => { event.preventDefault(); done($("#api-key").value.trim() || null); };
    const cancel = () => done(null);
    $("#key-form").addEventListener("submit", submit);
    $("#key-cancel").addEventListener("click", cancel);
    dialog.showModal();
    $("#api-key").focus();
  });
}

async function writeRequest(url, options) {
  for (;;) {
    const key = sessionStorage.getItem(KEY_STORAGE);
    const headers = new Headers(options.headers || {});
    if (key) headers.set("X-API-Key", key);
    const response = await fetch(url, { ...options, headers });
    if (response.status !== 401) return response;
    const why = await apiError(response);
    sessionStorage.removeItem(KEY_STORAGE);
    const entered = await askForKey(key ? `密钥不正确，请重新输入。${why}` : why);
    if (!entered) throw new Error(why);
    sessionStorage.setItem(KEY_STORAGE, entered);
  }
}

const STAGES = {
  queued: "排队中", loading: "读取文件", building: "解析", cleaning: "清洗", structuring: "分节",
  extracting: "抽取实体", embedding: "计算向量", writing: "写入图谱", done: "完成",
};

// A large upload is a background job: follow it until it is finished.
async function followJob(id, show) {
  for (;;) {
    const job = await getJSON(`/api/jobs/${encodeURIComponent(id)}`);
    const p = job.progress;
    if (job.status === "succeeded") return job.result;
    if (job.status === "failed" || job.status === "cancelled") {
      throw new Error(errorText({ error: job.error }) || job.status);
    }
    show(`后台处理中：${STAGES[p.stage] || p.stage}${p.total ? ` ${p.done}/${p.total}` : ""}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function uploadFile(file) {
  const status = $("#upload-status");
  const show = (text, error = false) => { status.textContent = text; status.className = error ? "error" : "muted"; };
  const button = $("#upload-button");
  button.disabled = true;
  show(`正在上传 ${file.name} …`);
  try {
    const body = new FormData();
    body.append("file", file);
    const response = await writeRequest("/api/documents", { method: "POST", body });
    if (!response.ok) throw new Error(await apiError(response));
    let result = await response.json();
    if (response.status === 202) result = await followJob(result.id, show);
    show(result.status === "unchanged" ? `《${result.document.title}》已在库中，未改变。`
      : `已导入《${result.document.title}》：${result.passages} 个段落，${result.entities} 个实体。`);
    refreshStatus();
  } catch (err) {
    show(`上传失败：${err.message}`, true);
  } finally {
    button.disabled = false;
  }
}

// --- start -----------------------------------------------------------------------------------------
// Names are filled in when the vocabulary arrives; until then (or if it cannot be read) keys show as they are.
const vocabularyLoaded = getJSON("/api/vocabulary").then(
  (v) => { VOCABULARY = v; },
  (err) => { console.warn("vocabulary unavailable", err); },
);
$("#ask-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const q = $("#question").value.trim();
  if (!q) return;
  $("#question").value = "";
  ask(q);
});
document.querySelectorAll(".example").forEach((b) => b.addEventListener("click", () => ask(b.textContent)));
$("#upload-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const file = $("#upload-file").files[0];
  if (file) uploadFile(file);
});
function refreshStatus() {
  getJSON("/healthz").then(
    (h) => { $("#store-status").textContent = `${h.store} · ${h.documents} 份文件 · ${h.passages} 个段落`; },
    (err) => { $("#store-status").textContent = `服务不可用：${err.message}`; },
  );
}
refreshStatus();
