// The popup: this page's highlights in reading order (click to scroll to
// one), orphans with their quote and their repair (accept the possible
// match, or attach to the words selected on the page), changes waiting for
// the server, the connection, a link to the page in the web view, the
// per-site toolbar switch, and what Margins cannot do on this page and why. Opened as
// popup.html?tab=ID it shows that tab (for tests and for a pinned window).

import removeMarkdown from "remove-markdown";
import { api, ask } from "../platform.js";
import { COLORS } from "../shared/dom-text.js";
import { isPdfUrl, limitOfUrl, limitOfPage } from "./limits.js";
import { siteHostOf, withDefaults } from "../lib/settings.js";
import { documentUrlOf } from "../lib/pdf-viewer-url.js";

const $ = (id) => document.getElementById(id);

const CONNECTION_LABELS = {
  ok: "Connected", offline: "Offline", error: "Server error", "bad-token": "Token refused",
  unconfigured: "Not set up", unknown: "Not synced yet",
};

async function targetTab() {
  const id = Number(new URLSearchParams(location.search).get("tab"));
  if (id) return api.tabs.get(id);
  const [tab] = await api.tabs.query({ active: true, currentWindow: true });
  return tab;
}

// An orphan's repair: its possible match to accept, or the page's selection.
function repair(li, { id, possible, frameId = 0 }, tabId) {
  const box = Object.assign(document.createElement("div"), { className: "repair" });
  const ask = async (type) => {
    const answer = await api.tabs.sendMessage(tabId, { type, id }, { frameId }).catch(() => null);
    if (answer?.ok) return render();
    $("notice").textContent = type === "attach" ? "Select the words on the page first, then press Attach here." : "That match is no longer on the page.";
    $("notice").hidden = false;
  };
  if (possible) {
    box.append(Object.assign(document.createElement("div"), { className: "possible", textContent: `Possible match: “${possible}”` }));
    box.append(Object.assign(document.createElement("button"), { className: "accept", textContent: "Accept", onclick: () => ask("accept") }));
  }
  box.append(Object.assign(document.createElement("button"), { className: "attach", textContent: "Attach here", onclick: () => ask("attach") }));
  li.querySelector(".text").append(box);
}

function item({ id, exact, color, note, status, page, frameId = 0 }, tabId) {
  const li = document.createElement("li");
  li.dataset.id = id;
  li.dataset.status = status;
  const dot = Object.assign(document.createElement("span"), { className: "dot" });
  dot.style.background = COLORS[color] ?? COLORS.yellow;
  const text = Object.assign(document.createElement("div"), { className: "text" });
  text.append(Object.assign(document.createElement("div"), { className: "quote", textContent: exact }));
  // The note as plain text: Markdown's markup characters left out (and nothing parsed as HTML).
  if (note) text.append(Object.assign(document.createElement("div"), { className: "note", textContent: removeMarkdown(note) }));
  li.append(dot, text);
  if (page) li.append(Object.assign(document.createElement("span"), { className: "page", textContent: `p. ${page}` })); // in Margins' PDF viewer
  if (status !== "exact") li.append(Object.assign(document.createElement("span"), { className: `flag ${status}`, textContent: status }));
  if (status !== "orphan") li.addEventListener("click", () => api.tabs.sendMessage(tabId, { type: "focus", id }, { frameId }));
  return li;
}

function showConnection(state) {
  const connection = state.configured ? state.connection : { state: "unconfigured", message: "Set the server and token in the options." };
  $("connection").dataset.state = connection.state;
  $("connection").textContent = CONNECTION_LABELS[connection.state] ?? connection.state;
  $("connection").title = connection.message;
  if (connection.state !== "ok" && connection.state !== "unknown") {
    $("notice").textContent = connection.message;
    $("notice").hidden = false;
  }
}

function showLimit(text) {
  $("limit").textContent = text ?? "";
  $("limit").hidden = !text;
}

async function toolbarSwitch(host) {
  const { settings: stored } = await api.storage.local.get("settings");
  const settings = withDefaults(stored);
  const off = settings.noToolbarSites.includes(host);
  $("toolbar-off").checked = off;
  $("toolbar-switch").hidden = !host;
  $("toolbar-off").onchange = async () => {
    const { settings: now } = await api.storage.local.get("settings");
    const current = withDefaults(now);
    const others = current.noToolbarSites.filter((site) => site !== host);
    await api.storage.local.set({ settings: { ...current, noToolbarSites: $("toolbar-off").checked ? [...others, host] : others } });
  };
}

const RANK = { exact: 0, approximate: 1, orphan: 2 };

// The page's highlights as its frames see them: the top frame's list, each highlight with the
// best status any frame of the page gives it (one in an about:blank or srcdoc frame is found there).
async function pageList(tabId) {
  const top = await api.tabs.sendMessage(tabId, { type: "list" }, { frameId: 0 }).catch(() => null);
  const { frameIds = [] } = (await ask({ type: "page-frames", tabId })) ?? {};
  const others = await Promise.all(frameIds.filter((id) => id !== 0)
    .map((frameId) => api.tabs.sendMessage(tabId, { type: "list" }, { frameId })
      .then((list) => list?.map((entry) => ({ ...entry, frameId })), () => null)));
  if (!top) return null;
  const best = new Map(top.map((entry) => [entry.id, entry]));
  for (const entry of others.flat().filter(Boolean)) {
    if (best.has(entry.id) && RANK[entry.status] < RANK[best.get(entry.id).status]) best.set(entry.id, entry);
  }
  return top.map((entry) => best.get(entry.id));
}

async function render() {
  const tab = await targetTab();
  const frame = { frameId: 0 };
  const viewer = tab.url?.startsWith(api.runtime.getURL("viewer.html")) ? documentUrlOf(tab.url) : null;
  const [state, info, list] = await Promise.all([
    ask({ type: "popup-state", url: viewer ?? tab.url }), // first: it starts the sync and the feed's poll
    api.tabs.sendMessage(tab.id, { type: "page-info" }, frame).catch(() => null),
    pageList(tab.id),
  ]);
  $("open-pdf").hidden = !(info?.pdf || (!info && isPdfUrl(tab.url ?? "")));
  $("open-pdf").onclick = () => ask({ type: "open-pdf", tabId: tab.id, url: tab.url }).then(() => window.close());
  if (state) showConnection(state);
  if (state?.pageUrl) {
    $("web-view").href = state.pageUrl;
    $("web-view").hidden = false;
  }
  const limit = info ? limitOfPage(info) : limitOfUrl(tab.url ?? "");
  showLimit(limit);
  if (info && (info.rule === "on" || info.rule === "no-toolbar")) await toolbarSwitch(siteHostOf(info.url));
  else $("toolbar-switch").hidden = true;
  document.body.dataset.ready = "true";
  const blocked = info && (info.pdf || !(info.rule === "on" || info.rule === "no-toolbar"));
  if (!list || blocked) {
    $("count").textContent = "This page";
    $("highlights").replaceChildren();
    return;
  }
  const placed = list.filter((entry) => entry.status !== "orphan");
  const orphans = list.filter((entry) => entry.status === "orphan");
  $("count").textContent = `${list.length} highlight${list.length === 1 ? "" : "s"} on this page`;
  $("highlights").replaceChildren(...placed.map((entry) => item(entry, tab.id)));
  const invitation = info?.rule === "no-toolbar"
    ? "The toolbar is off on this site: select text and press Alt+Shift+H, or use the context menu."
    : "Select text on the page to highlight it.";
  if (!list.length) $("highlights").replaceChildren(Object.assign(document.createElement("li"), { className: "empty", textContent: invitation }));
  $("orphans").replaceChildren(...orphans.map((entry) => {
    const li = item(entry, tab.id);
    repair(li, entry, tab.id);
    return li;
  }));
  $("orphans-section").hidden = orphans.length === 0;
  const pending = state?.pending.length ?? 0;
  $("pending-section").hidden = pending === 0 && !state?.rejected.length;
  $("pending").textContent = [
    pending ? `${pending} change${pending === 1 ? "" : "s"} of this page not sent yet (${state.pendingTotal} in all).` : "",
    state?.rejected.length ? `${state.rejected.length} refused by the server: ${state.rejected.at(-1).message}` : "",
  ].filter(Boolean).join(" ");
}

render();
// The queue may drain while the popup is open.
setInterval(render, 2000);
