// Talking to the API: JSON calls, the error body {"error": {"code", "message"}}, writes that ask for the
// API key on a 401, uploads with progress (XMLHttpRequest), background jobs, server-sent events over fetch.

import { $ } from "./dom.js";

export class ApiError extends Error {
  constructor(message, status, code) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

// The error JSON of a response, or of a stream's `error` event.
export function errorText(body) {
  return body && body.error ? `${body.error.message}（${body.error.code}）` : null;
}

async function errorOf(response) {
  let code = null;
  let text = null;
  try {
    const body = await response.json();
    text = errorText(body);
    code = body && body.error ? body.error.code : null;
  } catch (_) { /* not JSON */ }
  if (!text) text = response.status === 404 ? "此服务版本没有这个功能（HTTP 404）" : `HTTP ${response.status}`;
  return new ApiError(text, response.status, code);
}

export async function getJSON(url, options) {
  const response = await fetch(url, options);
  if (!response.ok) throw await errorOf(response);
  return response.json();
}

export function postJSON(url, body) {
  return getJSON(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
}

// --- the API key: asked for when a write answers 401, kept in sessionStorage (this tab only) -----------
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

// Runs `send(key)` (which resolves to {status, why}) until it is not a 401 or the user cancels the dialog.
async function withKey(send) {
  for (;;) {
    const key = sessionStorage.getItem(KEY_STORAGE);
    const outcome = await send(key);
    if (outcome.status !== 401) return outcome;
    sessionStorage.removeItem(KEY_STORAGE);
    const entered = await askForKey(key ? `密钥不正确，请重新输入。${outcome.why}` : outcome.why);
    if (!entered) throw new ApiError(outcome.why, 401, "key_required");
    sessionStorage.setItem(KEY_STORAGE, entered);
  }
}

export async function writeJSON(url, options) {
  const { response } = await withKey(async (key) => {
    const headers = new Headers(options.headers || {});
    if (key) headers.set("X-API-Key", key);
    const r = await fetch(url, { ...options, headers });
    return { status: r.status, response: r, why: r.status === 401 ? (await errorOf(r)).message : "" };
  });
  if (!response.ok) throw await errorOf(response);
  return { status: response.status, body: await response.json() };
}

// An upload with progress: fetch cannot report upload progress, XMLHttpRequest can.
export async function uploadWithProgress(url, file, onProgress) {
  const { xhr } = await withKey((key) => new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", url);
    if (key) request.setRequestHeader("X-API-Key", key);
    request.upload.addEventListener("progress", (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); });
    request.addEventListener("load", () => {
      const why = request.status === 401 ? xhrError(request).message : "";
      resolve({ status: request.status, xhr: request, why });
    });
    request.addEventListener("error", () => reject(new ApiError("网络错误，上传没有完成", 0, "network")));
    const body = new FormData();
    body.append("file", file);
    request.send(body);
  }));
  if (xhr.status < 200 || xhr.status >= 300) throw xhrError(xhr);
  return { status: xhr.status, body: JSON.parse(xhr.responseText) };
}

function xhrError(xhr) {
  let body = null;
  try { body = JSON.parse(xhr.responseText); } catch (_) { /* not JSON */ }
  return new ApiError(errorText(body) || `HTTP ${xhr.status}`, xhr.status, body && body.error ? body.error.code : null);
}

const STAGES = {
  queued: "排队中", loading: "读取文件", building: "解析", cleaning: "清洗", structuring: "分节",
  extracting: "抽取实体", embedding: "计算向量", writing: "写入图谱", done: "完成",
};

// A large upload is a background job (202): follow it until it has finished.
export async function followJob(id, show, everyMs = 500) {
  for (;;) {
    const job = await getJSON(`/api/jobs/${encodeURIComponent(id)}`);
    const state = job.status || job.state;
    if (state === "succeeded") return job.result;
    if (state === "failed" || state === "cancelled") {
      throw new ApiError(errorText({ error: job.error }) || "后台任务失败", 0, state);
    }
    const p = job.progress || {};
    const fraction = p.total ? p.done / p.total : null;
    show(`后台处理中：${STAGES[p.stage] || p.stage || "排队中"}${p.total ? ` ${p.done}/${p.total}` : ""}`, fraction);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

// A download through the API (GET or POST): saved under the name the server gives, or `fallback`.
export async function download(url, options, fallback) {
  const response = await fetch(url, options);
  if (!response.ok) throw await errorOf(response);
  const blob = await response.blob();
  const disposition = response.headers.get("Content-Disposition") || "";
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  const name = star ? decodeURIComponent(star[1]) : plain ? plain[1] : fallback;
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  return { name, size: blob.size, type: blob.type };
}

// Server-sent events read with fetch (so that an error response's body is readable); each event is
// handed to its handler as soon as its block has arrived.
export async function streamEvents(url, handlers) {
  const response = await fetch(url, { headers: { Accept: "text/event-stream" } });
  if (!response.ok) throw await errorOf(response);
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
