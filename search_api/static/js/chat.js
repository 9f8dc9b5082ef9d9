// The chat: questions to /api/ask/stream (deltas shown as they arrive), answers with citation chips,
// the honest 未找到 state with the possibly related passages, conversations kept in localStorage.

import { ApiError, streamEvents } from "./api.js";
import { $, el } from "./dom.js";
import { showEntities } from "./entities.js";
import { runSearch } from "./search.js";
import { intentName, modeName, relationName, statusName, vocabularyLoaded } from "./vocab.js";

// AskRequest.question's max_length (search_api/ask/schemas.py); the server's 422 still has the last word.
export const MAX_QUESTION = 500;
const STORE_KEY = "chuyi-chats";
const MAX_CHATS = 30;
const MAX_TURNS = 60;

const hooks = { openMatch: () => {}, openGraph: () => {} };
export function setChatHooks(h) { Object.assign(hooks, h); }

// --- history ------------------------------------------------------------------------------------------
let state = loadState();

function loadState() {
  try {
    const saved = JSON.parse(localStorage.getItem(STORE_KEY) || "null");
    if (saved && Array.isArray(saved.chats)) return saved;
  } catch (_) { /* unreadable: start again */ }
  return { chats: [], current: null };
}

function saveState() {
  state.chats = state.chats.slice(0, MAX_CHATS);
  for (;;) {
    try { localStorage.setItem(STORE_KEY, JSON.stringify(state)); return; } catch (_) {
      if (state.chats.length <= 1) return;  // full even with one chat: keep it in memory only
      state.chats.pop();  // the oldest goes first
    }
  }
}

const currentChat = () => state.chats.find((c) => c.id === state.current) || null;

function newChat() {
  const chat = { id: `c${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`, title: "新对话",
    updated: Date.now(), turns: [], scope: null };
  state.chats.unshift(chat);
  state.current = chat.id;
  saveState();
  return chat;
}

// What an answer keeps in the history: enough to show it again, not the whole response.
function keptResponse(r) {
  return {
    answer: r.answer, intent: r.intent, mode: r.mode, citations: r.citations, facts: (r.facts || []).slice(0, 8),
    related: r.related || [], link: r.link || null, document: r.document || null, candidates: r.candidates || [],
    entities: r.entities || [], phrased_by: r.phrased_by,
  };
}

export function renderHistoryList() {
  const list = $("#chat-list");
  list.replaceChildren(...state.chats.map((c) => el("li", { class: c.id === state.current ? "current" : "" },
    el("button", { type: "button", class: "chat-item", "data-chat": c.id, title: c.title, onclick: () => switchChat(c.id) },
      el("span", { class: "chat-title" }, c.title),
      el("span", { class: "chat-when muted" }, `${c.turns.length} 问 · ${new Date(c.updated).toLocaleDateString("zh-CN")}`)),
    el("button", { type: "button", class: "chat-delete", title: "删除这个对话", "aria-label": `删除对话：${c.title}`,
      onclick: () => deleteChat(c.id) }, "×"))));
  if (!state.chats.length) list.append(el("li", { class: "muted small" }, "还没有对话记录。"));
}

function switchChat(id) {
  state.current = id;
  saveState();
  renderConversation();
}

function deleteChat(id) {
  state.chats = state.chats.filter((c) => c.id !== id);
  if (state.current === id) state.current = state.chats.length ? state.chats[0].id : null;
  saveState();
  renderConversation();
}

export function startNewChat() {
  const current = currentChat();
  if (!current || current.turns.length) newChat();
  renderConversation();
  $("#question").focus();
}

const EXAMPLES = [
  "新化县楚怡工业学校被支持建设什么？", "全省遴选建设的楚怡高水平高职院校有几所？",
  "这份文件由哪些部门联合发布？", "给紧缺技能人才的住房优惠", "工程机械产业链需要哪些专业？",
];

function hint() {
  return el("div", { class: "hint" }, el("p", {}, "用中文提问，回答附有政策原文出处。例如："),
    el("ul", { id: "examples" }, EXAMPLES.map((q) => el("li", {},
      el("button", { type: "button", class: "example", onclick: () => ask(q) }, q)))));
}

export function renderConversation() {
  const box = $("#conversation");
  const chat = currentChat();
  box.replaceChildren();
  if (!chat || !chat.turns.length) box.append(hint());
  for (const turn of chat ? chat.turns : []) {
    box.append(el("div", { class: "msg user" }, turn.question));
    const bot = el("div", { class: "msg bot" });
    if (turn.response) renderAnswer(bot, turn.response);
    else bot.append(el("div", { class: "answer-text" }, el("span", { class: "error" }, `出错了：${turn.error}`)));
    box.append(bot);
  }
  renderScope();
  renderHistoryList();
  $("#entities").replaceChildren(el("p", { class: "muted" }, "问题中识别到的机构、项目、目标会显示在这里。"));
  box.scrollTop = box.scrollHeight;
}

// --- scope: the chat asks about one document ---------------------------------------------------------
export function scopeTo(doc) {
  const chat = currentChat() && !currentChat().turns.length ? currentChat() : newChat();
  chat.scope = doc ? { id: doc.id, title: doc.title } : null;
  saveState();
  renderConversation();
}

function renderScope() {
  const chat = currentChat();
  const box = $("#scope");
  const scope = chat && chat.scope;
  box.hidden = !scope;
  if (scope) {
    box.replaceChildren(`只问《${scope.title}》`, el("button", { type: "button", class: "link", "aria-label": "取消限定",
      onclick: () => { chat.scope = null; saveState(); renderScope(); } }, "取消限定"));
  }
}

// --- one answer -----------------------------------------------------------------------------------------
function citationChips(list, label) {
  const chips = el("div", { class: "citations" });
  const passages = el("div", { class: "passages" });
  list.forEach((c, i) => {
    const passage = el("div", { class: "passage", hidden: true, "data-passage": c.passage_id }, c.text,
      el("span", { class: "source" }, `《${c.document_title}》${c.section ? " · " + c.section : ""}`,
        c.document_version ? `（${c.document_version}）` : "",
        c.document_status === "superseded" ? ` · ${statusName("superseded")}` : ""));
    const chip = el("button", {
      type: "button", class: "citation", "aria-expanded": "false", title: `《${c.document_title}》${c.section ? " " + c.section : ""}`,
      onclick: () => {
        const open = chip.getAttribute("aria-expanded") === "true";
        chip.setAttribute("aria-expanded", String(!open));
        passage.hidden = open;
      },
    }, `[${i + 1}] ${c.document_title}${c.section ? " " + c.section : ""}`);
    chips.append(chip);
    passages.append(passage);
  });
  return el("div", { class: "cited" }, label ? el("p", { class: "muted small" }, label) : null, chips, passages);
}

function factText(f) {
  return `${f.subject.name} —${relationName(f.predicate)}→ ${f.object ? f.object.name : f.value}`;
}

function metaLine(r) {
  return [el("span", { class: "badge" }, intentName(r.intent)), modeName(r.mode),
    r.phrased_by === "llm" ? " · 由语言模型润色" : "",
    r.document ? ` · 《${r.document.title}》${r.document.version ? "（" + r.document.version + "）" : ""}` : ""];
}

// The whole answer, from a finished response (also what the history shows after a reload).
export function renderAnswer(bot, r) {
  bot.classList.toggle("none", r.mode === "none");
  const parts = [el("div", { class: "meta" }, metaLine(r))];
  if (r.mode === "none") parts.push(el("p", { class: "not-found" }, el("strong", {}, modeName("none")), "：资料里没有能回答这个问题的内容。"));
  parts.push(el("div", { class: "answer-text" }, r.answer));
  if (r.citations.length) parts.push(citationChips(r.citations));
  if (r.related && r.related.length) parts.push(el("div", { class: "related" }, citationChips(r.related, "可能相关的段落（不一定回答了问题）：")));
  if (r.candidates && r.candidates.length) {
    parts.push(el("div", { class: "candidates" }, el("span", { class: "muted small" }, "可能指这些文件："),
      r.candidates.map((d) => el("button", { type: "button", class: "chip", onclick: () => scopeTo(d) },
        `《${d.title}》${d.version ? "（" + d.version + "）" : ""}`))));
  }
  if (r.facts && r.facts.length) parts.push(el("ul", { class: "facts" }, r.facts.slice(0, 8).map((f) => el("li", {}, factText(f)))));
  if (r.link && r.link.view === "match") {
    parts.push(el("button", { type: "button", class: "primary open-match", onclick: () => hooks.openMatch(r.link) },
      "在专业匹配中查看 →"));
  }
  bot.replaceChildren(...parts);
}

function entityRefs(r) {
  const refs = [...(r.entities || [])];
  for (const f of r.facts || []) {
    refs.push(f.subject);
    if (f.object) refs.push(f.object);
  }
  return refs;
}

// The client-side check: an empty or over-long question gets a Chinese message, and is not sent.
export function questionProblem(q) {
  if (!q) return "请输入问题。";
  if (q.length > MAX_QUESTION) return `问题最多 ${MAX_QUESTION} 个字，现在有 ${q.length} 个字，请缩短后再问。`;
  return null;
}

export async function ask(question) {
  const problem = questionProblem(question);
  const errorBox = $("#question-error");
  errorBox.hidden = !problem;
  errorBox.textContent = problem || "";
  if (problem) return;
  const chat = currentChat() || newChat();
  if (!chat.turns.length) chat.title = question.slice(0, 40);
  const turn = { question, response: null, error: null };
  chat.turns.push(turn);
  chat.turns = chat.turns.slice(-MAX_TURNS);
  chat.updated = Date.now();
  state.chats = [chat, ...state.chats.filter((c) => c !== chat)];
  saveState();
  renderHistoryList();

  const box = $("#conversation");
  const hintBox = box.querySelector(".hint");
  if (hintBox) hintBox.remove();
  box.append(el("div", { class: "msg user" }, question));
  const meta = el("div", { class: "meta" });
  const text = el("div", { class: "answer-text pending" });
  const bot = el("div", { class: "msg bot" }, meta, text);
  box.append(bot);
  bot.scrollIntoView({ block: "end" });
  const button = $("#ask-button");
  button.disabled = true;
  const entities = $("#entities");
  entities.replaceChildren(el("p", { class: "muted" }, "正在识别问题中的实体…"));
  const entityOptions = { onGraph: (id) => hooks.openGraph(id) };
  // A chat about one document searches that document too.
  if (chat.scope && [...$("#search-document").options].some((o) => o.value === chat.scope.id)) {
    $("#search-document").value = chat.scope.id;
  }
  runSearch(question);
  let done = null;
  try {
    await vocabularyLoaded;
    const params = new URLSearchParams({ question });
    if (chat.scope) params.set("document", chat.scope.id);
    await streamEvents(`/api/ask/stream?${params}`, {
      meta: (m) => {
        meta.replaceChildren(...metaLine(m));
        showEntities(entities, m.entities || [], entityOptions);
      },
      delta: (d) => { text.textContent += d.text; },
      citations: (list) => { if (list.length) bot.append(citationChips(list)); },
      related: (list) => bot.append(el("div", { class: "related" }, citationChips(list, "可能相关的段落（不一定回答了问题）："))),
      done: (response) => { done = response; },
      // Answering failed after the stream had started: the server sends the error JSON as an event.
      error: (e) => { throw new ApiError((e.error && `${e.error.message}（${e.error.code}）`) || "出错了", 200, e.error && e.error.code); },
    });
    if (!done) throw new ApiError("回答没有完整送达，请重试。", 0, "incomplete");
    turn.response = keptResponse(done);
    renderAnswer(bot, turn.response);
    showEntities(entities, entityRefs(done), entityOptions);
  } catch (err) {
    turn.error = err.message;
    text.classList.remove("pending");
    text.replaceChildren(el("span", { class: "error" }, `出错了：${err.message}`));
    if (!entities.querySelector(".entity-card")) entities.replaceChildren(el("p", { class: "muted" }, "没有识别到实体。"));
  } finally {
    saveState();
    button.disabled = false;
    bot.scrollIntoView({ block: "end" });
  }
}

export function updateCount() {
  const n = $("#question").value.trim().length;
  const count = $("#question-count");
  count.textContent = n ? `${n}/${MAX_QUESTION}` : "";
  count.classList.toggle("over", n > MAX_QUESTION);
}
