// Margins' PDF viewer (viewer.html?file=URL): opens the file with PDF.js
// (viewer-core.js), finds the document's library page (the URL it was
// opened from, or the page that has this file already: same /ID
// fingerprint or bytes), draws its highlights (highlights.js) and makes new
// ones with the same toolbar and the same service-worker queue as web pages.
// The file is the page's snapshot: uploaded on the first highlight, as the
// snapshot policy says. Answers the popup like a content script does.

import { api, ask } from "../platform.js";
import { createToolbar } from "../content/toolbar.js";
import { createEditing } from "../content/editing.js";
import { textFragmentLink } from "../lib/text-fragment.js";
import { serverBase, siteRule, wantsSnapshot, withDefaults } from "../lib/settings.js";
import { uuid4 } from "../lib/uuid.js";
import { createControls, followViewer } from "./controls.js";
import { createFinder } from "./find.js";
import { docText } from "./doc-text.js";
import { createPdfHighlights } from "./highlights.js";
import { knownUrl, sha256Of, uploadPdf } from "./pdf-server.js";
import { openViewer } from "./viewer-core.js";
import { documentUrlOf } from "../lib/pdf-viewer-url.js";

async function bytesOf(url) {
  if (url.startsWith("file:")) { // fetch() has no file: scheme; XHR has, with "Allow access to file URLs"
    return new Promise((resolve, reject) => {
      const request = new XMLHttpRequest();
      request.open("GET", url);
      request.responseType = "arraybuffer";
      request.onload = () => resolve(request.response);
      request.onerror = () => reject(new Error("Margins may not read local files: turn on \"Allow access to file URLs\" for it."));
      request.send();
    });
  }
  const answer = await fetch(url, { credentials: "include" });
  if (!answer.ok) throw new Error(`The file could not be fetched (${answer.status}).`);
  return answer.arrayBuffer();
}

const fileUrl = documentUrlOf(location.href);
const state = { settings: withDefaults(null), url: fileUrl, highlights: null, toolbar: null, uploaded: false, bytes: null };
let controls = null;

const save = (highlight) => ask({ type: "save", highlight, snapshot: null });
const editing = createEditing({ parts: () => state, create, save, linkOf, rectOf });

const working = () => ["on", "no-toolbar"].includes(siteRule(state.settings, state.url));

function rectOf(range) {
  const rects = range.getClientRects();
  return rects.length ? rects[rects.length - 1] : range.getBoundingClientRect();
}

async function keepFile(bytes) {
  const base = serverBase(state.settings.serverUrl);
  if (!base || !state.settings.token) return;
  const answer = await uploadPdf(base, state.settings.token, state.url, bytes).catch((error) => ({ ok: false, message: String(error) }));
  state.uploaded = answer.ok || answer.tooLarge;
  if (answer.tooLarge) controls.status("The file was not stored: it is larger than your Margins server keeps. Your highlights are kept.");
  else if (!answer.ok) controls.status(`The file was not stored yet (${answer.message}); it is sent again with the next highlight.`);
}

function create(color, range) {
  const { highlights } = state;
  const selector = highlights.selectorOfRange(range);
  if (!selector) return null;
  const highlight = {
    id: uuid4(), url: state.url, title: document.title, ...selector,
    color: color ?? state.settings.defaultColor, note: "", tags: [], created_at: new Date().toISOString(),
  };
  highlights.upsert(highlight);
  save(highlight);
  if (!state.uploaded && wantsSnapshot(state.settings, state.url, false)) keepFile(state.bytes);
  document.getSelection()?.removeAllRanges();
  return highlight;
}

function linkOf(id) {
  const page = state.highlights.pageOf(id);
  return page ? `${state.url.split("#")[0]}#page=${page}` : textFragmentLink(state.url, state.highlights.get(id).quote);
}

function onMouseUp(event) {
  const { toolbar } = state;
  if (!event.isTrusted || event.button !== 0 || toolbar.owns(event.target) || event.target.closest?.("#bar")) return;
  if (siteRule(state.settings, state.url) !== "on") return;
  setTimeout(() => {
    const selection = document.getSelection();
    const selected = selection && !selection.isCollapsed && selection.toString().trim();
    editing.pointerUp(selected ? selection.getRangeAt(0).cloneRange() : null, event.clientX, event.clientY);
  }, 0);
}

async function load() {
  const answer = await ask({ type: "load", url: state.url });
  if (answer?.highlights) state.highlights.set(answer.highlights);
  ask({ type: "status", url: state.url, count: state.highlights.all().length });
}

function answerPopup(message, sender, reply) {
  if (sender.id !== api.runtime.id || !state.highlights) return false;
  const { highlights } = state;
  if (message.type === "page-info") reply({ rule: siteRule(state.settings, state.url), url: state.url, pdf: false, viewer: true, closedShadowRoots: 0 });
  else if (message.type === "list") {
    reply(highlights.inReadingOrder().map(({ highlight, status, possible, page }) => ({
      id: highlight.id, exact: highlight.quote.exact, color: highlight.color, note: highlight.note, tags: highlight.tags, status, possible, page,
    })));
  } else if (message.type === "accept" || message.type === "attach") {
    const selection = document.getSelection();
    const repaired = message.type === "accept" ? highlights.acceptPossible(message.id)
      : selection && !selection.isCollapsed ? highlights.attach(message.id, selection.getRangeAt(0)) : null;
    if (repaired) save(repaired);
    reply({ ok: Boolean(repaired) });
  } else if (message.type === "focus") {
    const page = highlights.pageOf(message.id);
    if (page) state.viewer.goTo(page);
    reply({ ok: Boolean(page) });
  } else if (message.type === "reload") {
    load();
    reply({ ok: true });
  } else return false;
  return false;
}

async function start() {
  const { settings } = await api.storage.local.get("settings");
  state.settings = withDefaults(settings);
  controls = createControls(document, {
    onPage: (number) => state.viewer?.goTo(number),
    onZoom: (factor) => state.viewer?.zoom(factor),
    onFind: (query, backwards) => state.find?.find(query, backwards),
    onBrowserViewer: () => ask({ type: "pdf-browser-viewer", url: fileUrl }),
  });
  if (!fileUrl) return controls.status("No file to open.");
  const bytes = await bytesOf(fileUrl);
  const container = document.getElementById("viewer");
  let onRendered = () => {};
  const viewer = await openViewer(container, bytes.slice(0), {
    workerSrc: api.runtime.getURL("pdf.worker.mjs"),
    onPageRendered: (index) => onRendered(index),
  });
  state.viewer = viewer;
  const { info } = await viewer.pdf.getMetadata().catch(() => ({ info: {} }));
  document.title = info?.Title || decodeURIComponent(fileUrl.split(/[?#]/)[0].split("/").pop() || "PDF");
  followViewer(window, viewer, controls);

  // The library page: the one that has this document already, else the URL it was opened from.
  const base = serverBase(state.settings.serverUrl);
  if (base && state.settings.token) {
    const known = await knownUrl(base, state.settings.token, {
      fingerprint: viewer.pdf.fingerprints[0], sha256: await sha256Of(bytes),
    }).catch(() => null);
    if (known) {
      state.url = known;
      state.uploaded = true;
    }
  }
  const pageTexts = await viewer.texts();
  const doc = docText(pageTexts.map((page) => page.text));
  state.highlights = createPdfHighlights(document, doc, viewer, pageTexts);
  state.find = createFinder(document, viewer, doc, state.highlights, controls);
  onRendered = (index) => {
    state.highlights.drawPage(index);
    state.find.onRendered();
  };
  for (let index = 0; index < viewer.count; index++) if (viewer.layer(index)) onRendered(index);
  document.body.dataset.ready = "true";
  if (!working()) return;
  state.bytes = bytes;
  state.toolbar = createToolbar(document, editing.handlers);
  window.addEventListener("mouseup", onMouseUp, true);
  window.addEventListener("keydown", (event) => {
    if (event.isTrusted && event.key === "Escape" && state.toolbar.isOpen()) state.toolbar.hide();
  }, true);
  await load();
}

api.runtime.onMessage.addListener(answerPopup);
start().catch((error) => {
  controls?.status(String(error.message ?? error));
  document.body.dataset.ready = "error";
});
