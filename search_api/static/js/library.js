// The document library: the list (/api/documents), upload with drag-and-drop and progress (asking for
// the key on a 401; a 202 is a background job, followed until done), delete with confirmation, scoping
// the chat to one document, and the graph's export (GraphML / JSON).

import { download, followJob, getJSON, uploadWithProgress, writeJSON } from "./api.js";
import { $, el, setStatus } from "./dom.js";
import { fillDocumentFilter } from "./search.js";
import { statusName } from "./vocab.js";

const hooks = { scope: () => {}, changed: () => {} };
export function setLibraryHooks(h) { Object.assign(hooks, h); }

let dropped = null;  // a file dropped on the zone (a file input cannot be set from a drop everywhere)

export async function loadLibrary() {
  const rows = $("#library-rows");
  const status = $("#library-status");
  try {
    const body = await getJSON("/api/documents");
    const docs = body.documents;
    $("#library-count").textContent = `共 ${body.count} 份`;
    rows.replaceChildren(...docs.map(documentRow));
    if (!docs.length) setStatus(status, "库中还没有文件。");
    fillDocumentFilter(docs);
    return docs;
  } catch (err) {
    setStatus(status, `读取文件列表失败：${err.message}`, "error");
    return [];
  }
}

function documentRow(d) {
  const current = (d.status || "current") === "current";
  return el("tr", { "data-id": d.id },
    el("td", { class: "doc-title" }, d.title, d.doc_number ? el("span", { class: "muted small" }, ` ${d.doc_number}`) : null),
    el("td", {}, d.kind || "—"),
    el("td", {}, (d.issuers || []).join("、") || "—"),
    el("td", { class: "nowrap" }, d.date || "—"),
    el("td", {}, el("span", { class: current ? "badge ok" : "badge old" }, statusName(d.status || "current"))),
    el("td", { class: "num" }, d.passages ?? "—"),
    el("td", { class: "actions nowrap" },
      el("button", { type: "button", class: "scope-doc", onclick: () => hooks.scope(d) }, "只问这份"),
      el("button", { type: "button", class: "delete-doc danger-link", onclick: () => removeDocument(d) }, "删除")));
}

function confirmDialog(message) {
  const dialog = $("#confirm-dialog");
  $("#confirm-message").textContent = message;
  return new Promise((resolve) => {
    const done = (ok) => {
      $("#confirm-ok").removeEventListener("click", yes);
      $("#confirm-cancel").removeEventListener("click", no);
      dialog.close();
      resolve(ok);
    };
    const yes = (e) => { e.preventDefault(); done(true); };
    const no = () => done(false);
    $("#confirm-ok").addEventListener("click", yes);
    $("#confirm-cancel").addEventListener("click", no);
    dialog.showModal();
  });
}

async function removeDocument(d) {
  const status = $("#library-status");
  if (!await confirmDialog(`删除《${d.title}》？它的段落和只由它带来的实体、关系会一并删除，其他文件也提到的实体保留。`)) return;
  try {
    const { body } = await writeJSON(`/api/documents/${encodeURIComponent(d.id)}`, { method: "DELETE" });
    setStatus(status, `已删除《${d.title}》，库中还有 ${body.remaining} 份文件。`, "ok");
    await loadLibrary();
    hooks.changed();
  } catch (err) {
    setStatus(status, `删除失败：${err.message}`, "error");
  }
}

function chosenFile() {
  return $("#upload-file").files[0] || dropped;
}

export async function uploadChosen() {
  const file = chosenFile();
  const status = $("#upload-status");
  const bar = $("#upload-progress");
  if (!file) { setStatus(status, "请先选择或拖入一个文件。", "error"); return; }
  const show = (text, fraction = null) => {
    setStatus(status, text);
    bar.hidden = false;
    if (fraction === null) bar.removeAttribute("value"); else bar.value = Math.round(fraction * 100);
  };
  const button = $("#upload-button");
  button.disabled = true;
  show(`正在上传 ${file.name} …`, 0);
  try {
    const { status: code, body } = await uploadWithProgress("/api/documents", file, (f) => {
      show(f < 1 ? `正在上传 ${file.name}：${Math.round(f * 100)}%` : `已上传 ${file.name}，正在解析…`, f < 1 ? f : null);
    });
    const result = code === 202 ? await followJob(body.id || body.job_id, show) : body;
    bar.value = 100;
    const title = result.document.title;
    setStatus(status, result.status === "unchanged" ? `《${title}》已在库中，未改变。`
      : result.status === "duplicate" ? `内容与库中的《${title}》相同，未重复导入。`
        : `已导入《${title}》：${result.passages} 个段落，${result.entities} 个实体。`, "ok");
    dropped = null;
    $("#upload-file").value = "";
    $("#upload-name").textContent = "";
    await loadLibrary();
    hooks.changed();
  } catch (err) {
    bar.hidden = true;
    setStatus(status, `上传失败：${err.message}`, "error");
  } finally {
    button.disabled = false;
  }
}

async function exportGraph(format) {
  const status = $("#export-status");
  setStatus(status, "正在导出…");
  try {
    const saved = await download(`/api/export/graph?format=${format}`, {}, `chuyi-graph.${format === "json" ? "json" : "graphml"}`);
    setStatus(status, `已导出 ${saved.name}（${Math.max(1, Math.round(saved.size / 1024))} KB）`, "ok");
  } catch (err) {
    setStatus(status, `导出失败：${err.message}`, "error");
  }
}

export function wireLibrary() {
  const zone = $("#drop-zone");
  const name = $("#upload-name");
  zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (e) => {
    e.preventDefault();
    zone.classList.remove("over");
    const file = e.dataTransfer.files[0];
    if (!file) return;
    dropped = file;
    $("#upload-file").value = "";
    name.textContent = `已选择：${file.name}（${Math.max(1, Math.round(file.size / 1024))} KB）`;
  });
  $("#upload-file").addEventListener("change", (e) => {
    dropped = null;
    const file = e.target.files[0];
    name.textContent = file ? `已选择：${file.name}（${Math.max(1, Math.round(file.size / 1024))} KB）` : "";
  });
  $("#upload-form").addEventListener("submit", (e) => { e.preventDefault(); uploadChosen(); });
  $("#export-graphml").addEventListener("click", () => exportGraph("graphml"));
  $("#export-json").addEventListener("click", () => exportGraph("json"));
}
