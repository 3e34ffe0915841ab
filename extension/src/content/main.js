// The content script: turns selections into highlights through the toolbar,
// opens the toolbar on a clicked highlight, and answers the popup and the
// service worker. Storage and the server are the service worker's job.

import { api, ask } from "../platform.js";
import { createToolbar } from "./toolbar.js";
import { createPageHighlights } from "./page-highlights.js";
import { snapshotHtml } from "./snapshot.js";
import { textFragmentLink } from "../lib/text-fragment.js";
import { uuid4 } from "../lib/uuid.js";
import { withDefaults, wantsSnapshot } from "../lib/settings.js";

let settings = withDefaults(null);
let selectionRange = null; // the selection the toolbar was opened for
let currentId = null; // the highlight the toolbar edits

const highlights = createPageHighlights(document, {
  onChange: () => ask({ type: "status", url: location.href, count: highlights.all().length, orphans: highlights.inReadingOrder().filter((item) => item.status === "orphan").length }),
});

// Saves wait until the saved settings are read, so a highlight made in the
// first moments after a page loads still obeys the snapshot policy and the
// excluded sites; chaining on one promise keeps the saves in order.
const settingsRead = api.storage.local.get("settings")
  .then(({ settings: saved }) => { settings = withDefaults(saved); })
  .catch(() => {});
const send = (highlight, snapshot = () => null) =>
  settingsRead.then(() => ask({ type: "save", highlight, snapshot: snapshot() }));

function rectOf(range) {
  const rects = range.getClientRects();
  return rects.length ? rects[rects.length - 1] : range.getBoundingClientRect();
}

function createFromSelection(color, range) {
  const selector = highlights.selectorOfRange(range);
  if (!selector) return null;
  const pageHadHighlights = highlights.all().length > 0;
  const highlight = {
    id: uuid4(),
    url: location.href,
    title: document.title,
    ...selector,
    color: color ?? settings.defaultColor,
    note: "",
    tags: [],
    created_at: new Date().toISOString(),
  };
  highlights.upsert(highlight);
  send(highlight, () => (wantsSnapshot(settings, location.href, pageHadHighlights)
    ? { title: document.title, html: snapshotHtml(document) } : null));
  document.getSelection()?.removeAllRanges();
  return highlight;
}

function openFor(id, focus) {
  const range = highlights.rangeOf(id);
  if (!range) return;
  currentId = id;
  toolbar.showForHighlight(rectOf(range), highlights.get(id), { focus });
}

function change(fields) {
  const highlight = { ...highlights.get(currentId), ...fields };
  highlights.upsert(highlight);
  send(highlight);
}

const toolbar = createToolbar(document, {
  onPick(color, focus) {
    const created = selectionRange && createFromSelection(color, selectionRange);
    selectionRange = null;
    if (created) openFor(created.id, focus);
    else toolbar.hide();
  },
  onColor: (color) => change({ color }),
  onSave: (fields) => change(fields),
  async onCopyLink() {
    const link = textFragmentLink(location.href, highlights.get(currentId).quote);
    try {
      await navigator.clipboard.writeText(link);
      toolbar.flash("Link copied.");
    } catch {
      toolbar.flash(link); // no clipboard access here: show it to copy by hand
    }
  },
  onDelete() {
    const id = currentId;
    currentId = null;
    toolbar.hide();
    highlights.remove(id);
    ask({ type: "delete", id, url: location.href });
  },
});

document.addEventListener("mouseup", (event) => {
  if (toolbar.owns(event.target) || event.button !== 0) return;
  // After the click has updated the selection.
  setTimeout(() => {
    const selection = document.getSelection();
    if (selection && !selection.isCollapsed && selection.toString().trim()) {
      selectionRange = selection.getRangeAt(0).cloneRange();
      currentId = null;
      toolbar.showForSelection(rectOf(selectionRange));
      return;
    }
    const id = highlights.hitTest(event.clientX, event.clientY);
    if (id) openFor(id);
    else if (toolbar.isOpen()) toolbar.hide();
  }, 0);
});

document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && toolbar.isOpen()) toolbar.hide();
});

function highlightSelection() {
  const selection = document.getSelection();
  if (!selection || selection.isCollapsed) return false;
  const created = createFromSelection(null, selection.getRangeAt(0).cloneRange());
  if (created) openFor(created.id);
  return Boolean(created);
}

api.runtime.onMessage.addListener((message, sender, reply) => {
  if (message.type === "highlight-selection") reply({ ok: highlightSelection() });
  else if (message.type === "list") {
    reply(highlights.inReadingOrder().map(({ highlight, status, possible }) => ({
      id: highlight.id, exact: highlight.quote.exact, color: highlight.color, note: highlight.note, tags: highlight.tags, status, possible,
    })));
  } else if (message.type === "accept" || message.type === "attach") {
    // An orphan repaired from the popup: its possible match, or the selection.
    const selection = document.getSelection();
    const repaired = message.type === "accept" ? highlights.acceptPossible(message.id)
      : selection && !selection.isCollapsed ? highlights.attach(message.id, selection.getRangeAt(0)) : null;
    if (repaired) send(repaired);
    reply({ ok: Boolean(repaired) });
  } else if (message.type === "focus") {
    highlights.focus(message.id);
    reply({ ok: true });
  } else if (message.type === "reload") {
    load().then(() => reply({ ok: true }));
    return true;
  }
  return false;
});

api.storage.onChanged.addListener((changes, area) => {
  if (area === "local" && changes.settings) settings = withDefaults(changes.settings.newValue);
});

async function load() {
  await settingsRead;
  const answer = await ask({ type: "load", url: location.href });
  if (answer?.highlights) highlights.set(answer.highlights);
}

load();
