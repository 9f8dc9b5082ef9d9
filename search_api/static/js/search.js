// The result list: /api/search with filters (document, section), relevance as a bar and a word, and the
// CSV export of the same search (POST /api/search/export).

import { download, postJSON } from "./api.js";
import { $, el, relevance, setStatus } from "./dom.js";
import { statusName } from "./vocab.js";

const TOP_K = 8;
let lastBody = null;

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

// Fused scores (reciprocal ranks) differ little between neighbours, so the word says how many retrievers
// put the passage near their top instead: both (or the passage is the article the query names) → 高,
// one → 中, neither → 低.
const NEAR_TOP = 10;
function agreement(r) {
  if (r.reference) return 1;
  const votes = [r.dense_rank, r.keyword_rank].filter((rank) => rank !== null && rank !== undefined && rank <= NEAR_TOP).length;
  return votes === 2 ? 1 : votes === 1 ? 0.5 : 0.2;
}

export function searchBody(query) {
  const filters = {};
  const documentId = $("#search-document").value;
  const section = $("#search-section").value.trim();
  if (documentId) filters.documents = [documentId];
  if (section) filters.section = section;
  return { query, top_k: TOP_K, ...(Object.keys(filters).length ? { filters } : {}) };
}

export async function runSearch(query) {
  const list = $("#results");
  const empty = $("#results-empty");
  $("#search-query").value = query;
  lastBody = searchBody(query);
  try {
    const body = await postJSON("/api/search", lastBody);
    list.replaceChildren(...body.results.map((r) => el("li", { class: "result", "data-passage": r.passage_id },
      el("div", { class: "result-text" }, ...highlighted(r.text, r.highlights)),
      el("span", { class: "where" },
        relevance(agreement(r)),
        `《${r.document.title}》${r.document.status === "superseded" ? `（${statusName("superseded")}）` : ""}`,
        r.section ? ` · ${r.section}` : ""))));
    empty.hidden = body.results.length > 0;
    if (!body.results.length) empty.textContent = lastBody.filters ? "在所选范围内没有匹配的段落。" : "没有匹配的段落。";
    const scope = lastBody.filters ? "（已按筛选条件限定）" : "";
    setStatus($("#search-note"), `共 ${body.total} 个候选段落，显示前 ${body.results.length} 个${scope}`);
  } catch (err) {
    list.replaceChildren();
    empty.hidden = false;
    empty.textContent = `检索出错：${err.message}`;
  }
}

export async function exportCsv() {
  const note = $("#search-note");
  const query = $("#search-query").value.trim();
  if (!query) { setStatus(note, "先输入检索词再导出。", "error"); return; }
  try {
    const saved = await download("/api/search/export", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(searchBody(query)),
    }, "检索结果.csv");
    setStatus(note, `已导出 ${saved.name}`, "ok");
  } catch (err) {
    setStatus(note, `导出失败：${err.message}`, "error");
  }
}

export function fillDocumentFilter(documents) {
  const select = $("#search-document");
  const chosen = select.value;
  select.replaceChildren(el("option", { value: "" }, "全部文件"),
    ...documents.map((d) => el("option", { value: d.id }, d.title)));
  select.value = documents.some((d) => d.id === chosen) ? chosen : "";
}
