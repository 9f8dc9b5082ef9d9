// The matching view for a school's teaching director: an industry chain, product or GB/T code (and a
// level, or a school whose level and region come from the institutions list) → ranked 专业 with a
// one-line reason and expandable evidence; the reverse (a 专业 → industries and chains); a school's gaps
// for a chain, its offerings typed, pasted or read from a CSV file in the browser.

import { getJSON, postJSON } from "./api.js";
import { $, $$, el, relevance, setStatus } from "./dom.js";
import { evidenceName, labelName, signalName, vocabularyLoaded } from "./vocab.js";

const TOP_K = 15;
// A result's or a query's kind (/api/match/*) → the graph label whose Chinese name it shows.
const KIND_LABELS = { specialty: "Specialty", industry: "Industry", chain: "IndustryChain" };
const kindWord = (kind) => (KIND_LABELS[kind] ? labelName(KIND_LABELS[kind]) : "");

let schools = [];  // the last /api/match/schools answer, to show the chosen school's level and region

const mode = () => $("input[name=match-mode]:checked").value;

function showFields() {
  const m = mode();
  for (const field of $$("#match-form .field[data-for]")) field.hidden = !field.dataset.for.split(" ").includes(m);
  $("#match-button").textContent = m === "gaps" ? "分析缺口" : "匹配";
}

// --- pickers: chains and schools (routes that may be missing on an older service: then no suggestions) ---
export async function loadChains() {
  try {
    const body = await getJSON("/api/match/chains");
    $("#chain-options").replaceChildren(...body.chains.map((c) => el("option", { value: c.name })));
  } catch (_) { /* no picker: typing still works */ }
}

let schoolTimer = null;
function suggestSchools(q) {
  clearTimeout(schoolTimer);
  schoolTimer = setTimeout(async () => {
    try {
      const body = await getJSON(`/api/match/schools?${new URLSearchParams({ q })}`);
      schools = body.schools || [];
      $("#school-options").replaceChildren(...schools.map((s) => el("option", { value: s.name }, [s.level, s.region].filter(Boolean).join(" · "))));
      showSchoolInfo();
    } catch (err) {
      schools = [];
      $("#school-info").textContent = err.status === 404 ? "学校名录暂不可用：层次请手动选择。" : "";
    }
  }, 200);
}

// Where the chosen school's level comes from: the institutions list (办学层次), else the school is one a
// policy text names and its level is read from its name (…学校 → 中职), as /api/match/gaps reads it.
function showSchoolInfo() {
  const name = $("#match-school").value.trim();
  const school = schools.find((s) => s.name === name);
  if (!school) { $("#school-info").textContent = ""; return; }
  const from = school.source === "institutions" ? `院校名录（办学层次：${school.school_level || "—"}）`
    : school.school_level ? "政策文件所列学校" : "政策文件所列学校，层次按校名";
  const where = [school.region, school.province].filter(Boolean).join(" · ");
  $("#school-info").textContent = school.level
    ? `${from}：${school.level}${where ? ` · ${where}` : ""}（按此层次匹配）`
    : `${from}：层次不明，请手动选择${where ? ` · ${where}` : ""}`;
}

// --- offerings: typed, pasted, or a CSV file parsed here ------------------------------------------------
export function splitOfferings(text) {
  return [...new Set(text.split(/[\n,，、;；\t]+/).map((s) => s.trim().replace(/^"|"$/g, "")).filter(Boolean))];
}

// The 专业 column of a CSV (a header named 专业名称/专业/name/名称, else 专业代码/code, else the first column),
// quoted cells allowed.
export function parseCsv(text) {
  const rows = text.replace(/^\uFEFF/, "").split(/\r?\n/).filter((l) => l.trim()).map(csvRow);
  if (!rows.length) return [];
  const header = rows[0].map((h) => h.trim());
  const named = (names) => header.findIndex((h) => names.includes(h.toLowerCase()));
  let col = named(["专业名称", "专业", "name", "名称"]);
  if (col < 0) col = named(["专业代码", "code", "代码"]);
  const body = col >= 0 ? rows.slice(1) : rows;
  if (col < 0) col = 0;
  return [...new Set(body.map((r) => (r[col] || "").trim()).filter(Boolean))];
}

function csvRow(line) {
  const cells = [];
  let cell = "", quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { cell += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") { cells.push(cell); cell = ""; }
    else cell += ch;
  }
  cells.push(cell);
  return cells;
}

async function readOfferingsFile(file) {
  const note = $("#offerings-note");
  try {
    const names = parseCsv(await file.text());
    const box = $("#match-offerings");
    const merged = [...new Set([...splitOfferings(box.value), ...names])];
    box.value = merged.join("\n");
    setStatus(note, `从 ${file.name} 读到 ${names.length} 个专业。`, "ok");
  } catch (err) {
    setStatus(note, `读取失败：${err.message}`, "error");
  }
}

// --- results ----------------------------------------------------------------------------------------------
function evidenceItems(evidence) {
  if (!Array.isArray(evidence)) return [];
  return evidence.map((e) => el("li", { class: `ev ev-${e.kind}`, "data-passage": e.passage_id || null },
    el("span", { class: "badge" }, e.label || evidenceName(e.kind)), " ",
    e.title ? `《${e.title}》${e.section ? " " + e.section : ""}：` : "",
    e.row ? `${e.row.class_name}（${e.row.class_code}）对应 ${e.row.industry_name}（${e.row.industry_code}）${e.row.reason ? "：" + e.row.reason : ""}` : e.text));
}

// The signals named in Chinese (signal_list, with labels from the API), else the bare signals by the vocabulary.
function signalItems(r) {
  if (Array.isArray(r.signal_list) && r.signal_list.length) {
    return r.signal_list.filter((s) => s.value > 0).map((s) => el("li", {}, s.label, relevance(s.value)));
  }
  if (!r.signals) return [];
  return Object.entries(r.signals).filter(([, v]) => v > 0).map(([k, v]) => el("li", {}, signalName(k), relevance(v)));
}

function resultItem(r, best) {
  const evidence = evidenceItems(r.evidence);
  const signals = signalItems(r);
  const facts = [kindWord(r.kind), r.code ? `代码 ${r.code}` : "", r.level, r.category,
    r.parts && r.parts.length ? `对应：${r.parts.join("、")}` : ""].filter(Boolean).join(" · ");
  return el("li", { class: "match-result", "data-name": r.name },
    el("div", { class: "match-head" }, el("span", { class: "rank" }, r.rank || ""), el("strong", { class: "match-name" }, r.name),
      relevance(best > 0 ? r.score / best : 0)),
    el("p", { class: "muted small" }, facts),
    el("p", { class: "reason" }, r.reason || r.why || ""),
    evidence.length || signals.length ? el("details", { class: "match-evidence" }, el("summary", {}, "依据"),
      evidence.length ? el("ul", { class: "evidence-list" }, evidence) : null,
      signals.length ? el("div", {}, el("p", { class: "muted small" }, "各项信号："), el("ul", { class: "signals" }, signals)) : null) : null);
}

function showResults(results) {
  const best = Math.max(0, ...results.map((r) => r.score));
  $("#match-results").replaceChildren(...results.map((r) => resultItem(r, best)));
}

function targetText(t) {
  if (!t) return "";

  // A compound name (现代种业与粮食生产) is matched on every part.
  if (t.kind === "compound" && t.parts && t.parts.length) return t.parts.map(targetText).join(" + ");
  return `${t.kind === "text" ? "关键词" : kindWord(t.kind)}「${t.name}」${t.code ? `（${t.code}）` : ""}`;
}

function summary(...children) {
  const box = $("#match-summary");
  box.hidden = false;
  box.replaceChildren(...children.filter((c) => c !== null && c !== undefined && c !== false));
}

async function runSpecialties(query, level, school) {
  const body = { industry: query, top_k: TOP_K };
  if (level) body.level = level;
  if (school) body.school = school;
  const r = await postJSON("/api/match/specialties", body);
  summary(el("h2", {}, `${targetText(r.target)}需要的专业`),
    el("p", { class: "muted small" }, [level || (school ? "按学校的层次" : "各层次"), school ? `学校：${school}` : ""].filter(Boolean).join(" · "),
      ` · 共 ${r.results.length} 个`));
  showResults(r.results);
  return r.results.length;
}

async function runIndustries(specialty, level) {
  const body = { specialty, top_k: TOP_K };
  if (level) body.level = level;
  const r = await postJSON("/api/match/industries", body);
  summary(el("h2", {}, `${targetText(r.target)}对应的产业和产业链`), el("p", { class: "muted small" }, `共 ${r.results.length} 个`));
  showResults(r.results);
  return r.results.length;
}

async function runGaps(chain, level, school, offerings) {
  const body = { industry: chain, offerings };
  if (school) body.school = school;
  if (level) body.level = level;
  const r = await postJSON("/api/match/gaps", body);
  const relevant = r.covered.length + r.missing.length;
  const info = r.school_info || {};
  const levelFrom = { institutions: "（按院校名录）", name: "（按学校名称）", default: "（默认）" }[r.level_source] || "";
  summary(
    el("h2", {}, `${r.school ? `${r.school}：` : ""}${targetText(r.industry)}的专业缺口`),
    el("p", { class: "gap-line" }, `层次：${r.level}${levelFrom}`, info.region ? ` · 地区：${info.region}` : "",
      ` · 相关专业 ${relevant} 个，已开设 ${r.covered.length} 个，缺 ${r.missing.length} 个`),
    el("div", { class: "coverage" }, el("span", {}, "覆盖率"), relevance(r.coverage), el("span", {}, `${Math.round(r.coverage * 100)}%`)),
    r.covered.length ? el("p", { class: "small" }, "已开设：", r.covered.map((c) => c.name).join("、")) : null,
    r.unknown_offerings && r.unknown_offerings.length
      ? el("p", { class: "error small" }, `专业目录中没有这些名称（请检查层次或写法）：${r.unknown_offerings.join("、")}`) : null,
    el("h3", {}, "建议增设（按相关度排序）"));
  showResults(r.missing);
  return r.missing.length;
}

export async function runMatch() {
  const error = $("#match-error");
  error.hidden = true;
  const m = mode();
  const level = $("#match-level").value;
  const school = $("#match-school").value.trim();
  const chain = $("#match-chain").value.trim();
  const button = $("#match-button");
  const fail = (text) => { error.hidden = false; error.textContent = text; };
  try {
    button.disabled = true;
    $("#match-results").replaceChildren(el("li", { class: "muted" }, "正在匹配…"));
    await vocabularyLoaded;
    if (m === "specialties") {
      if (!chain) return fail("请输入产业链、产品或行业代码。");
      return await runSpecialties(chain, level, school);
    }
    if (m === "industries") {
      const specialty = $("#match-specialty").value.trim();
      if (!specialty) return fail("请输入专业名称或代码。");
      return await runIndustries(specialty, level);
    }
    const offerings = splitOfferings($("#match-offerings").value);
    if (!chain) return fail("请输入要分析的产业链。");
    if (!school && !offerings.length) return fail("请选择学校，或填写学校已开设的专业。");
    return await runGaps(chain, level, school, offerings);
  } catch (err) {
    $("#match-results").replaceChildren();
    $("#match-summary").hidden = true;
    fail(`匹配失败：${err.message}`);
  } finally {
    button.disabled = false;
  }
}

// A chat answer's link {view: "match", direction, query, level}: open the view on it and run it.
export function openMatchLink(link) {
  const m = link.direction === "industries" ? "industries" : "specialties";
  $(`input[name=match-mode][value=${m}]`).checked = true;
  showFields();
  $(m === "industries" ? "#match-specialty" : "#match-chain").value = link.query || "";
  $("#match-level").value = link.level || "";
  // The answer was about the chain or 专业 alone: a school chosen before would change the ranking.
  $("#match-school").value = "";
  showSchoolInfo();
  return runMatch();
}

export function wireMatch() {
  for (const r of $$("input[name=match-mode]")) r.addEventListener("change", showFields);
  showFields();
  $("#match-form").addEventListener("submit", (e) => { e.preventDefault(); runMatch(); });
  $("#match-school").addEventListener("input", (e) => { if (e.target.value.trim()) suggestSchools(e.target.value.trim()); showSchoolInfo(); });
  $("#offerings-file").addEventListener("change", (e) => { const f = e.target.files[0]; if (f) readOfferingsFile(f); });
}
