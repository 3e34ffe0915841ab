// The content script: turns the reader's selections into highlights through
// the toolbar, opens the toolbar on a clicked highlight, follows the page's
// route changes, and answers the popup and the service worker. Storage and
// the server are the service worker's job.
//
// Only the reader drives it: every listener that can create, open, change
// or delete a highlight acts on trusted events only (a page's script can
// dispatch a mouseup, never a trusted one), and the toolbar is a closed
// shadow root (toolbar.js). On the Margins server's own pages and on
// excluded sites it does nothing at all (lib/settings.js `siteRule`).

import { api, ask } from "../platform.js";
import { createToolbar } from "./toolbar.js";
import { createEditing } from "./editing.js";
import { createPageHighlights } from "./page-highlights.js";
import { keepDrawn } from "./keep-drawn.js";
import { watchRoutes } from "./routes.js";
import { pageLimits, pageWindowOf } from "./page-info.js";
import { snapshotHtml } from "./snapshot.js";
import { selectedRange } from "../shared/dom-text.js";
import { textFragmentLink } from "../lib/text-fragment.js";
import { uuid4 } from "../lib/uuid.js";
import { urlKey } from "../lib/url-key.js";
import { siteRule, withDefaults, wantsSnapshot } from "../lib/settings.js";

const EDITOR = "input, textarea, select";

let settings = withDefaults(null);
let pageWindow = pageWindowOf(window); // this window, or the one holding this about:blank/srcdoc frame
let pageUrl = pageWindow?.location.href ?? null; // the page this document's highlights belong to; null: none
let rule = "on";
let page = null; // {highlights, toolbar, keeper} once started on a page Margins works on
let generation = 0; // of load(), so an answer for an earlier route is dropped
let anchorings = 0; // passes of page-highlights.js (load, re-anchoring, edits), for bench/mutation.py

const working = () => pageUrl !== null && (rule === "on" || rule === "no-toolbar");

// Saves wait until the saved settings are read, so a highlight made in the
// first moments after a page loads still obeys the snapshot policy; chaining
// on one promise keeps the saves in order.
const settingsRead = api.storage.local.get("settings")
  .then(({ settings: saved }) => { settings = withDefaults(saved); })
  .catch(() => {});
const send = (highlight, snapshot = () => null) =>
  settingsRead.then(() => ask({ type: "save", highlight, snapshot: snapshot() }));

// A StaticRange (a selection across shadow trees) has no boxes: its end's are used.
function rectOf(range) {
  if (!range.getClientRects) {
    const end = document.createRange();
    end.setStart(range.endContainer, range.endOffset);
    return end.getBoundingClientRect();
  }
  const rects = range.getClientRects();
  return rects.length ? rects[rects.length - 1] : range.getBoundingClientRect();
}

// The reader's selection (inside open shadow roots too), or null when nothing is selected.
function readerSelection() {
  const selection = document.getSelection();
  const range = selectedRange(selection, document.body);
  return range && !range.collapsed && (range.toString?.() ?? selection.toString()).trim() ? range : null;
}

function report() {
  const { highlights } = page;
  ask({
    type: "status", url: pageUrl, count: highlights.all().length,
    orphans: highlights.inReadingOrder().filter((item) => item.status === "orphan").length,
  });
}

function createFromSelection(color, range) {
  const { highlights } = page;
  const selector = highlights.selectorOfRange(range);
  if (!selector) return null;
  const pageHadHighlights = highlights.all().length > 0;
  const url = pageUrl;
  const highlight = {
    id: uuid4(),
    url,
    title: pageWindow.document.title,
    ...selector,
    color: color ?? settings.defaultColor,
    note: "",
    tags: [],
    created_at: new Date().toISOString(),
  };
  highlights.upsert(highlight);
  // The page's snapshot is the holding document's, also for a highlight made in its about:blank frame.
  send(highlight, () => (wantsSnapshot(settings, url, pageHadHighlights)
    ? { title: pageWindow.document.title, html: snapshotHtml(pageWindow.document) } : null));
  document.getSelection()?.removeAllRanges();
  return highlight;
}

const editing = createEditing({
  parts: () => page,
  create: createFromSelection,
  save: (highlight) => send(highlight),
  linkOf: (id) => textFragmentLink(pageUrl, page.highlights.get(id).quote, page.highlights.text()),
  rectOf,
  stillHere: (highlight) => urlKey(highlight.url) === urlKey(pageUrl),
});

// Selections and clicks in form fields and editors are the reader writing, not reading.
function inEditor(...nodes) {
  return nodes.some((node) => {
    const element = node?.nodeType === Node.ELEMENT_NODE ? node : node?.parentElement;
    return Boolean(element && (element.isContentEditable || element.closest(EDITOR)));
  });
}

function onMouseUp(event) {
  if (!event.isTrusted || !page || rule !== "on" || event.button !== 0 || page.toolbar.owns(event.target)) return;
  // After the click has updated the selection.
  setTimeout(() => {
    const selection = document.getSelection();
    const range = readerSelection();
    if (!page || inEditor(event.target, document.activeElement, selection?.anchorNode, selection?.focusNode,
      range?.startContainer, range?.endContainer)) return;
    editing.pointerUp(range, event.clientX, event.clientY);
  }, 0);
}

function onKeyDown(event) {
  if (event.isTrusted && event.key === "Escape" && page?.toolbar.isOpen()) page.toolbar.hide();
}

async function load() {
  const run = ++generation;
  const answer = await ask({ type: "load", url: pageUrl });
  if (run === generation && page && answer?.highlights) page.highlights.set(answer.highlights);
}

// Starts, or stops, as the page and the settings say.
function follow() {
  rule = pageUrl === null ? "none" : siteRule(settings, pageUrl);
  if (!working()) {
    stop();
    return;
  }
  if (!page) {
    const highlights = createPageHighlights(document, {
      onChange: () => {
        anchorings++;
        page?.keeper.follow();
        report();
      },
    });
    page = { highlights, toolbar: createToolbar(document, editing.handlers), keeper: keepDrawn(document, highlights) };
    window.addEventListener("mouseup", onMouseUp, true);
    window.addEventListener("keydown", onKeyDown, true);
  }
  load();
}

function stop() {
  generation++;
  if (!page) return;
  page.toolbar.hide();
  page.highlights.set([]);
  page.keeper.stop();
  window.removeEventListener("mouseup", onMouseUp, true);
  window.removeEventListener("keydown", onKeyDown, true);
  page = null;
}

// A new URL without a reload is a new page, unless its URL key is the same (a #section link).
function onRoute() {
  pageWindow = pageWindowOf(window);
  const next = pageWindow?.location.href ?? null;
  const samePage = next !== null && urlKey(next) === urlKey(pageUrl);
  pageUrl = next;
  if (samePage) return;
  if (page) {
    page.toolbar.hide(); // saves an open note first, to the highlight's own page
    page.highlights.set([]);
  }
  editing.reset();
  follow();
}

function highlightSelection() {
  if (!page) return false;
  const range = readerSelection();
  if (!range) return false;
  const created = createFromSelection(null, range);
  if (created) editing.openFor(created.id);
  return Boolean(created);
}

api.runtime.onMessage.addListener((message, sender, reply) => {
  if (message.type === "page-info") {
    reply({ rule, url: pageUrl, ...pageLimits(document, api) });
  } else if (!page) {
    reply(null);
  } else if (message.type === "highlight-selection") reply({ ok: highlightSelection() });
  else if (message.type === "list") {
    reply(page.highlights.inReadingOrder().map(({ highlight, status, possible }) => ({
      id: highlight.id, exact: highlight.quote.exact, color: highlight.color, note: highlight.note, tags: highlight.tags, status, possible,
    })));
  } else if (message.type === "accept" || message.type === "attach") {
    // An orphan repaired from the popup: its possible match, or the selection.
    const range = message.type === "attach" ? readerSelection() : null;
    const repaired = message.type === "accept" ? page.highlights.acceptPossible(message.id)
      : range ? page.highlights.attach(message.id, range) : null;
    if (repaired) send(repaired);
    reply({ ok: Boolean(repaired) });
  } else if (message.type === "focus") {
    page.highlights.focus(message.id);
    reply({ ok: true });
  } else if (message.type === "reload") { // the feed changed this page's highlights
    load();
    reply({ ok: true });
  } else if (message.type === "stats") reply({ ...page.keeper.stats(), anchorings });
  else reply(null);
  return false;
});

api.storage.onChanged.addListener((changes, area) => {
  if (area !== "local" || !changes.settings) return;
  settings = withDefaults(changes.settings.newValue);
  if (pageUrl !== null && siteRule(settings, pageUrl) !== rule) follow();
});

settingsRead.then(() => {
  follow();
  watchRoutes(window, onRoute);
});
