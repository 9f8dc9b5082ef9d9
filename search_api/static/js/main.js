// The page's start: views (问答 / 关系图 / 专业匹配 / 文件库, kept in the URL's hash), the store's status
// line, and the wiring between the modules. ES modules served as they are: no framework, no build step.

import { getJSON } from "./api.js";
import { $, $$ } from "./dom.js";
import { ask, renderConversation, scopeTo, setChatHooks, startNewChat, updateCount } from "./chat.js";
import { resizeGraph, showInGraph, shownLabels, wireGraph } from "./graph.js";
import { loadLibrary, setLibraryHooks, wireLibrary } from "./library.js";
import { loadChains, openMatchLink, wireMatch } from "./match.js";
import { exportCsv, runSearch } from "./search.js";

const VIEWS = ["chat", "graph", "match", "library"];

export function showView(name) {
  const view = VIEWS.includes(name) ? name : "chat";
  for (const v of VIEWS) $(`#view-${v}`).hidden = v !== view;
  for (const tab of $$(".tab")) tab.setAttribute("aria-selected", String(tab.dataset.view === view));
  if (location.hash !== `#${view}`) history.replaceState(null, "", `#${view}`);
  if (view === "graph") resizeGraph();
  if (view === "library") loadLibrary();
}

function refreshStatus() {
  getJSON("/healthz").then(
    (h) => { $("#store-status").textContent = `${h.store} · ${h.documents} 份文件 · ${h.passages} 个段落`; },
    (err) => { $("#store-status").textContent = `服务不可用：${err.message}`; },
  );
}

setChatHooks({
  openMatch: (link) => { showView("match"); openMatchLink(link); },
  openGraph: (id) => { showView("graph"); showInGraph(id); },
});
setLibraryHooks({
  scope: (doc) => { scopeTo(doc); showView("chat"); },
  changed: refreshStatus,
});

for (const tab of $$(".tab")) tab.addEventListener("click", () => showView(tab.dataset.view));
window.addEventListener("hashchange", () => showView(location.hash.slice(1)));

$("#ask-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const q = $("#question").value.trim();
  ask(q);
  if (q && !$("#question-error").textContent) $("#question").value = "";
  updateCount();
});
$("#question").addEventListener("input", () => { updateCount(); $("#question-error").hidden = true; });
$("#question").addEventListener("keydown", (e) => {
  // Enter asks, Shift+Enter is a new line (and nothing is sent while an IME is composing).
  if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); $("#ask-form").requestSubmit(); }
});
$("#new-chat").addEventListener("click", startNewChat);
$("#search-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const q = $("#search-query").value.trim();
  if (q) runSearch(q);
});
$("#export-csv").addEventListener("click", exportCsv);

wireGraph();
wireMatch();
wireLibrary();
renderConversation();
refreshStatus();
loadLibrary();
loadChains();
showView(location.hash.slice(1));

window.chuyi = { showView, shownLabels };  // for the browser tests and the console
