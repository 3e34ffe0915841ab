// The highlighting toolbar: a closed shadow root (page CSS cannot reach in,
// ours cannot leak out, and the page's scripts cannot reach its buttons or
// read its fields) fixed near the selection or the clicked highlight. Every
// control acts only on the reader's own (trusted) events, so a page that got
// hold of a button still could not press it; key and input events typed in
// the note and tags are stopped before the page hears them (guard.js, whose
// listeners come first, hands the keys to the toolbar; without it they stop
// at the shadow root). docs/security.md, "Extension", says what a page can
// still observe.
//
//   createToolbar(document, handlers) -> toolbar
//     handlers: onPick(color, field) for a new selection (a color, or null and
//       "note" or "tags" to open that field); onColor(color), onSave({note, tags}),
//       onCopyLink(), onDelete() for a highlight; onHide() after it closed.
//     toolbar.showForSelection(rect)  colors, note and tags buttons
//     toolbar.showForHighlight(rect, highlight, {focus}?)  edit color, note, tags
//     toolbar.hide()  (saves an edited note or tags first)
//     toolbar.owns(eventTarget) -> boolean;  toolbar.isOpen() -> boolean
//     toolbar.flash(text)  a short status line ("Link copied")
//     toolbar.toast(text, action, onAction, ms)  a bar with one button (Undo) that goes after ms,
//       or when the toolbar shows again; not "open" (clicks on the page leave it)

import { splitTags } from "../lib/tags.js";
import { COLORS } from "../shared/dom-text.js";

const STYLE = `
:host { all: initial; position: fixed; z-index: 2147483647; }
.bar { font: 13px/1.3 system-ui, sans-serif; color: #1f2937; background: #fff; border: 1px solid #d1d5db;
  border-radius: 10px; box-shadow: 0 6px 24px rgba(0,0,0,.18); padding: 6px; display: flex; flex-direction: column;
  gap: 6px; min-width: 220px; max-width: 320px; }
.row { display: flex; align-items: center; gap: 4px; }
.swatch { width: 22px; height: 22px; border-radius: 50%; border: 2px solid #fff; box-shadow: 0 0 0 1px #9ca3af;
  cursor: pointer; padding: 0; }
.swatch[aria-pressed="true"] { box-shadow: 0 0 0 2px #111827; }
button.text { font: inherit; border: 1px solid #d1d5db; border-radius: 6px; background: #f9fafb; padding: 3px 8px;
  cursor: pointer; color: inherit; }
button.text:hover { background: #f3f4f6; }
button.danger { color: #b91c1c; }
button.primary { background: #1f2937; color: #fff; border-color: #1f2937; margin-left: auto; }
.sep { width: 1px; height: 20px; background: #e5e7eb; margin: 0 4px; }
textarea, input { font: inherit; border: 1px solid #d1d5db; border-radius: 6px; padding: 4px 6px; width: 100%;
  box-sizing: border-box; color: inherit; background: #fff; }
textarea { min-height: 56px; resize: vertical; }
.status { font-size: 12px; color: #047857; min-height: 0; }
[hidden] { display: none !important; }
`;

// Typing in the note or tags: these bubble out of a shadow root (composed), so they stop here.
const PRIVATE_EVENTS = ["keydown", "keyup", "keypress", "beforeinput", "input", "compositionstart",
  "compositionupdate", "compositionend", "paste", "copy", "cut", "focusin", "focusout", "select"];

// A listener that ignores synthetic events: only the reader presses these buttons.
function onTrusted(target, type, listener) {
  target.addEventListener(type, (event) => {
    if (event.isTrusted) listener(event);
  });
}

function swatches(current) {
  return Object.keys(COLORS).map((name) => `<button class="swatch" data-color="${name}" title="${name}" aria-label="${name}"
    aria-pressed="${name === current}" style="background:${COLORS[name].replace(/[\d.]+\)$/, "1)")}"></button>`).join("");
}

export function createToolbar(document, handlers) {
  const host = document.createElement("margins-toolbar");
  host.setAttribute("data-margins-ui", "");
  host.id = "margins-toolbar";
  const root = host.attachShadow({ mode: "closed" });
  for (const type of PRIVATE_EVENTS) root.addEventListener(type, (event) => event.stopPropagation());
  const onKey = (event) => {
    if (!event.isTrusted) return;
    if (event.key === "Escape" || (event.key === "Enter" && root.activeElement?.localName === "input")) toolbar.hide();
  };
  const guard = globalThis.marginsGuard;
  if (guard) {
    guard.host = host;
    guard.onKey = onKey;
  } else {
    root.addEventListener("keydown", onKey);
  }
  let editing = null; // {note, tags} as shown, to save only changes
  let toastTimer = null;
  let showing = null; // "bar" (a selection or a highlight) | "toast"

  const place = (rect) => {
    const width = 320;
    const left = Math.max(8, Math.min(rect.left, document.documentElement.clientWidth - width - 8));
    const below = rect.bottom + 8;
    attach(left, below + 160 > window.innerHeight ? Math.max(8, rect.top - 168) : below);
  };
  const attach = (left, top) => {
    host.style.left = `${left}px`;
    host.style.top = `${top}px`;
    if (!host.isConnected) document.documentElement.append(host);
  };

  const render = (html) => {
    clearTimeout(toastTimer);
    showing = "bar";
    root.innerHTML = `<style>${STYLE}</style><div class="bar" role="toolbar" aria-label="Margins">${html}</div>`;
    // Keep the page's selection when a button is pressed.
    root.querySelectorAll("button").forEach((button) => button.addEventListener("mousedown", (event) => event.preventDefault()));
  };

  const fields = () => ({
    note: root.querySelector("textarea")?.value ?? "",
    tags: splitTags(root.querySelector("input")?.value ?? ""),
  });

  const saveEdits = () => {
    if (!editing) return;
    const now = fields();
    if (now.note !== editing.note || now.tags.join(",") !== editing.tags.join(",")) handlers.onSave(now);
    editing = null;
  };

  const toolbar = {
    showForSelection(rect) {
      saveEdits();
      render(`<div class="row">${swatches(null)}<span class="sep"></span>
        <button class="text" data-action="note" title="Highlight and add a note">Note</button>
        <button class="text" data-action="tags" title="Highlight and add tags">Tags</button></div>`);
      root.querySelectorAll(".swatch").forEach((button) => onTrusted(button, "click", () => handlers.onPick(button.dataset.color, null)));
      onTrusted(root.querySelector('[data-action="note"]'), "click", () => handlers.onPick(null, "note"));
      onTrusted(root.querySelector('[data-action="tags"]'), "click", () => handlers.onPick(null, "tags"));
      place(rect);
    },
    showForHighlight(rect, highlight, { focus } = {}) {
      saveEdits();
      render(`<div class="row">${swatches(highlight.color)}</div>
        <textarea placeholder="Note (Markdown)" aria-label="Note"></textarea>
        <input placeholder="Tags, comma separated" aria-label="Tags">
        <div class="row"><button class="text" data-action="link" title="Copy a link to this passage">Copy link</button>
        <button class="text danger" data-action="delete">Delete</button>
        <button class="text primary" data-action="done">Done</button></div>
        <div class="status" hidden></div>`);
      const note = root.querySelector("textarea");
      const tags = root.querySelector("input");
      note.value = highlight.note ?? "";
      tags.value = (highlight.tags ?? []).join(", ");
      editing = { note: note.value, tags: highlight.tags ?? [] };
      root.querySelectorAll(".swatch").forEach((button) => onTrusted(button, "click", () => {
        root.querySelectorAll(".swatch").forEach((other) => other.setAttribute("aria-pressed", String(other === button)));
        handlers.onColor(button.dataset.color);
      }));
      onTrusted(root.querySelector('[data-action="link"]'), "click", () => handlers.onCopyLink());
      onTrusted(root.querySelector('[data-action="delete"]'), "click", () => {
        editing = null;
        handlers.onDelete();
      });
      onTrusted(root.querySelector('[data-action="done"]'), "click", () => toolbar.hide());
      place(rect);
      if (focus === "note") note.focus();
      if (focus === "tags") tags.focus();
    },
    toast(text, action, onAction, ms) {
      saveEdits();
      render(`<div class="row"><span class="message"></span><button class="text primary" data-action="undo"></button></div>`);
      root.querySelector(".message").textContent = text;
      const button = root.querySelector('[data-action="undo"]');
      button.textContent = action;
      onTrusted(button, "click", () => {
        host.remove();
        onAction();
      });
      attach(16, window.innerHeight - 64);
      showing = "toast";
      toastTimer = setTimeout(() => host.remove(), ms);
    },
    hide() {
      saveEdits();
      clearTimeout(toastTimer);
      host.remove();
    },
    owns: (target) => target === host || host.contains(target),
    isOpen: () => host.isConnected && showing === "bar", // a toast stays through the reader's clicks
    flash(text) {
      const status = root.querySelector(".status");
      if (!status) return;
      status.textContent = text;
      status.hidden = false;
    },
  };
  return toolbar;
}
