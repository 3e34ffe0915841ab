// The highlighting toolbar: a shadow root (page CSS cannot reach in, ours
// cannot leak out) fixed near the selection or the clicked highlight.
//
//   createToolbar(document, handlers) -> toolbar
//     handlers: onPick(color) for a new selection; onColor(color),
//       onSave({note, tags}), onCopyLink(), onDelete() for a highlight.
//     toolbar.showForSelection(rect, {openNote}?)  colors, note and tags buttons
//     toolbar.showForHighlight(rect, highlight, {focus}?)  edit color, note, tags
//     toolbar.hide()  (saves an edited note or tags first)
//     toolbar.owns(eventTarget) -> boolean
//     toolbar.flash(text)  a short status line ("Link copied")

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

function swatches(current) {
  return Object.keys(COLORS).map((name) => `<button class="swatch" data-color="${name}" title="${name}" aria-label="${name}"
    aria-pressed="${name === current}" style="background:${COLORS[name].replace(/[\d.]+\)$/, "1)")}"></button>`).join("");
}

export function createToolbar(document, handlers) {
  const host = document.createElement("margins-toolbar");
  host.setAttribute("data-margins-ui", "");
  host.id = "margins-toolbar";
  const root = host.attachShadow({ mode: "open" });
  let editing = null; // {note, tags} as shown, to save only changes

  const place = (rect) => {
    const width = 320;
    const left = Math.max(8, Math.min(rect.left, document.documentElement.clientWidth - width - 8));
    const below = rect.bottom + 8;
    const top = below + 160 > window.innerHeight ? Math.max(8, rect.top - 168) : below;
    host.style.left = `${left}px`;
    host.style.top = `${top}px`;
    if (!host.isConnected) document.documentElement.append(host);
  };

  const render = (html) => {
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
      root.querySelectorAll(".swatch").forEach((button) => button.addEventListener("click", () => handlers.onPick(button.dataset.color, null)));
      root.querySelector('[data-action="note"]').addEventListener("click", () => handlers.onPick(null, "note"));
      root.querySelector('[data-action="tags"]').addEventListener("click", () => handlers.onPick(null, "tags"));
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
      root.querySelectorAll(".swatch").forEach((button) => button.addEventListener("click", () => {
        root.querySelectorAll(".swatch").forEach((other) => other.setAttribute("aria-pressed", String(other === button)));
        handlers.onColor(button.dataset.color);
      }));
      root.querySelector('[data-action="link"]').addEventListener("click", () => handlers.onCopyLink());
      root.querySelector('[data-action="delete"]').addEventListener("click", () => {
        editing = null;
        handlers.onDelete();
      });
      root.querySelector('[data-action="done"]').addEventListener("click", () => toolbar.hide());
      tags.addEventListener("keydown", (event) => {
        if (event.key === "Enter") toolbar.hide();
      });
      place(rect);
      if (focus === "note") note.focus();
      if (focus === "tags") tags.focus();
    },
    hide() {
      saveEdits();
      host.remove();
    },
    owns: (target) => target === host || host.contains(target),
    isOpen: () => host.isConnected,
    flash(text) {
      const status = root.querySelector(".status");
      if (!status) return;
      status.textContent = text;
      status.hidden = false;
    },
  };
  return toolbar;
}
