// Small DOM helpers shared by the page's modules.

export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];

// el("div", {class: "x", onclick: f}, "text", child…): attributes, listeners and children in one call.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// A relevance shown as a bar and a word (高/中/低), never as a raw score: `ratio` is in [0, 1].
export function relevance(ratio) {
  const r = Math.max(0, Math.min(1, ratio));
  const word = r >= RELEVANCE_HIGH ? "高" : r >= RELEVANCE_MID ? "中" : "低";
  return el("span", { class: `relevance rel-${word}`, title: `相关度：${word}` },
    el("span", { class: "bar" }, el("span", { class: "fill", style: `width:${Math.round(r * 100)}%` })),
    el("span", { class: "word" }, `相关度${word}`));
}
// Cut points on the score relative to the list's best one: the top third reads 高, the middle 中.
const RELEVANCE_HIGH = 0.67;
const RELEVANCE_MID = 0.34;

export function setStatus(node, text, kind = "muted") {
  node.textContent = text;
  node.classList.remove("muted", "error", "ok");
  node.classList.add(kind);
}
