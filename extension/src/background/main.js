// The service worker: keeps each page's highlights and the queue of changes
// in storage.local, syncs with the server, and keeps the badge, the context
// menu and the keyboard shortcut.

import { api } from "../platform.js";
import { enqueue, overlay, pendingFor } from "../lib/queue.js";
import { fetchPageHighlights } from "../lib/server-api.js";
import { serverBase, siteRule } from "../lib/settings.js";
import { urlKey } from "../lib/url-key.js";
import { pageKey, read, update } from "./store.js";
import { allTabs, forgetTab, noteFrame, pageFrames } from "./tabs.js";
import { connectionOf, flush, onRetryAlarm, setConnection } from "./sync.js";

const MENU = "margins-highlight";

const BODY_FIELDS = ["url", "title", "quote", "position", "range", "color", "note", "tags", "created_at"];
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

async function load(url) {
  const key = urlKey(url);
  if (!key) return { highlights: [] };
  const { settings } = await read(["settings"]);
  const base = serverBase(settings.serverUrl);
  if (base && settings.token) {
    try {
      const highlights = await fetchPageHighlights(base, settings.token, url);
      await update([pageKey(key)], (values) => ({
        [pageKey(key)]: { ...values[pageKey(key)], highlights, pageId: highlights[0]?.page_id ?? values[pageKey(key)]?.pageId ?? null },
      }));
      await setConnection(connectionOf(200, base));
    } catch (error) {
      await setConnection(connectionOf(error.status ?? 0, base));
    }
    sync();
  }
  const values = await read([pageKey(key), "queue"]);
  return { highlights: overlay(values[pageKey(key)]?.highlights ?? [], values.queue, key, urlKey) };
}

// Never a page of the Margins server itself, nor of an excluded site (the content script does
// nothing there; this holds even for a message that claims otherwise).
async function refuses(url) {
  const { settings } = await read(["settings"]);
  return !urlKey(url) || ["margins", "excluded"].includes(siteRule(settings, url));
}

async function save(highlight, snapshot) {
  const key = urlKey(highlight.url);
  if (await refuses(highlight.url)) return { ok: false };
  await update(["queue", pageKey(key)], (values) => {
    let queue = values.queue;
    if (snapshot) queue = enqueue(queue, { kind: "page", url: highlight.url, title: snapshot.title, html: snapshot.html });
    queue = enqueue(queue, { kind: "put", id: highlight.id, url: highlight.url, body: bodyOf(highlight) });
    const page = values[pageKey(key)] ?? { highlights: [], pageId: null };
    const others = page.highlights.filter((item) => item.id !== highlight.id);
    return { queue, [pageKey(key)]: { ...page, highlights: [...others, highlight] } };
  });
  sync();
}

async function remove(id, url) {
  const key = urlKey(url);
  if (!key) return;
  await update(["queue", pageKey(key)], (values) => {
    const page = values[pageKey(key)] ?? { highlights: [], pageId: null };
    return {
      queue: enqueue(values.queue, { kind: "delete", id, url }),
      [pageKey(key)]: { ...page, highlights: page.highlights.filter((item) => item.id !== id) },
    };
  });
  sync();
}

async function popupState(url) {
  sync();
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
  if (reason === "install") api.runtime.openOptionsPage(); // the server and token come first
});
api.contextMenus.onClicked.addListener((info, tab) => {
  if (info.menuItemId === MENU) highlightInTab(tab, info.frameId);
});
api.commands.onCommand.addListener(async (command) => {
  if (command !== "highlight-selection") return;
  const [tab] = await api.tabs.query({ active: true, currentWindow: true });
  highlightInTab(tab);
});
api.tabs.onRemoved.addListener((tabId) => forgetTab(tabId));
api.storage.onChanged.addListener((changes, area) => {
  if (area === "local" && changes.settings) sync();
});
onRetryAlarm(sync);
sync();
