// The service worker: keeps the local index of the user's highlights and the
// queue of changes in storage.local, syncs with the server, and keeps the
// badge, the context menu and the keyboard shortcut.

import { api } from "../platform.js";
import { enqueue, overlay, pendingFor } from "../lib/queue.js";
import { serverBase, siteRule } from "../lib/settings.js";
import { urlKey } from "../lib/url-key.js";
import { keepRemoved, keepSaved, onFeedAlarm, pageHighlights, pollFeed, scheduleFeed } from "./index.js";
import { pageKey, read, update } from "./store.js";
import { allTabs, forgetTab, noteFrame, pageFrames } from "./tabs.js";
import { flush, onRetryAlarm } from "./sync.js";
import { addPdfMenu, followLocalPdfs, onPdfMenu, pdfHandlers, setUpPdfRedirect } from "./pdf.js";

const MENU = "margins-highlight";

const BODY_FIELDS = ["url", "title", "quote", "position", "range", "color", "note", "tags", "created_at", "pages"];
const bodyOf = (highlight) => Object.fromEntries(BODY_FIELDS.filter((name) => highlight[name] != null).map((name) => [name, highlight[name]]));

async function refreshBadges() {
  const { queue } = await read(["queue"]);
  for (const [tabId, { key, count }] of await allTabs()) {
    if (!key) continue;
    const pending = pendingFor(queue, key, urlKey).length > 0;
    const text = count || pending ? `${count}${pending ? "↑" : ""}` : "";
    api.action.setBadgeText({ tabId, text }).catch(() => forgetTab(tabId));
    api.action.setBadgeBackgroundColor({ tabId, color: pending ? "#d97706" : "#374151" }).catch(() => {});
  }
}

const sync = () => flush(refreshBadges);

// The open tabs of pages the feed changed draw their highlights again.
async function redraw(keys) {
  for (const [tabId, { key }] of await allTabs()) {
    if (keys.has(key)) api.tabs.sendMessage(tabId, { type: "reload" }).catch(() => {});
  }
}
const pollChanges = () => pollFeed(redraw);

async function load(url) {
  const key = urlKey(url);
  if (!key) return { highlights: [] };
  const highlights = await pageHighlights(url);
  const { queue } = await read(["queue"]);
  sync();
  return { highlights: overlay(highlights, queue, key, urlKey) };
}

// Never a page of the Margins server itself, nor of an excluded site (the content script does
// nothing there; this holds even for a message that claims otherwise).
async function refuses(url) {
  const { settings } = await read(["settings"]);
  return !urlKey(url) || ["margins", "excluded"].includes(siteRule(settings, url));
}

async function save(highlight, snapshot) {
  if (await refuses(highlight.url)) return { ok: false };
  await update(["queue"], (values) => {
    let queue = values.queue;
    if (snapshot) queue = enqueue(queue, { kind: "page", url: highlight.url, title: snapshot.title, html: snapshot.html });
    return { queue: enqueue(queue, { kind: "put", id: highlight.id, url: highlight.url, body: bodyOf(highlight) }) };
  });
  await keepSaved(highlight);
  sync();
}

async function remove(id, url) {
  const key = urlKey(url);
  if (!key) return;
  await update(["queue"], (values) => ({ queue: enqueue(values.queue, { kind: "delete", id, url }) }));
  await keepRemoved(id, key);
  sync();
}

async function popupState(url) {
  sync();
  pollChanges();
  const key = urlKey(url);
  const values = await read(["settings", "queue", "connection", "rejected", ...(key ? [pageKey(key)] : [])]);
  const base = serverBase(values.settings.serverUrl);
  const pageId = key ? values[pageKey(key)]?.pageId : null;
  return {
    configured: Boolean(base && values.settings.token),
    server: base,
    connection: values.connection ?? { state: "unknown", message: "Not synced yet." },
    pending: key ? pendingFor(values.queue, key, urlKey).map((op) => ({ kind: op.kind, id: op.id ?? null })) : [],
    pendingTotal: values.queue.ops.length,
    rejected: values.rejected,
    pageUrl: base && pageId ? `${base}/pages/${pageId}` : null,
  };
}

const handlers = {
  ...pdfHandlers,
  load: (message) => load(message.url),
  save: (message) => save(message.highlight, message.snapshot),
  delete: (message) => remove(message.id, message.url),
  "popup-state": (message) => popupState(message.url),
  // The frames of a tab that show (part of) its top page: the top one, and its about:blank or srcdoc frames.
  "page-frames": async (message) => ({ frameIds: await pageFrames(message.tabId) }),
  async status(message, sender) {
    const key = urlKey(message.url);
    const tabId = sender.tab?.id;
    if (tabId == null || !key) return null;
    await noteFrame(tabId, sender.frameId, key, message.count);
    return refreshBadges();
  },
};

api.runtime.onMessage.addListener((message, sender, reply) => {
  const handler = handlers[message?.type];
  if (!handler) return false;
  Promise.resolve(handler(message, sender)).then((answer) => reply(answer ?? { ok: true }), (error) => reply({ error: String(error) }));
  return true;
});

// Every frame is asked; only the one holding the selection makes a highlight.
function highlightInTab(tab, frameId) {
  if (tab?.id != null) api.tabs.sendMessage(tab.id, { type: "highlight-selection" }, frameId == null ? {} : { frameId }).catch(() => {});
}

api.runtime.onInstalled.addListener(({ reason }) => {
  api.contextMenus.create({ id: MENU, title: "Highlight with Margins", contexts: ["selection"] });
  addPdfMenu();
  if (reason === "install") api.runtime.openOptionsPage(); // the server and token come first
});
api.contextMenus.onClicked.addListener((info, tab) => {
  if (info.menuItemId === MENU) highlightInTab(tab, info.frameId);
  else onPdfMenu(info, tab);
});
api.commands.onCommand.addListener(async (command) => {
  if (command !== "highlight-selection") return;
  const [tab] = await api.tabs.query({ active: true, currentWindow: true });
  highlightInTab(tab);
});
api.tabs.onRemoved.addListener((tabId) => forgetTab(tabId));
api.storage.onChanged.addListener((changes, area) => {
  if (area !== "local" || !changes.settings) return;
  sync();
  pollChanges();
  scheduleFeed(changes.settings.newValue ?? {});
});
onRetryAlarm(sync);
setUpPdfRedirect();
followLocalPdfs();
onFeedAlarm(pollChanges);
read(["settings"]).then(({ settings }) => scheduleFeed(settings));
sync();
pollChanges();
