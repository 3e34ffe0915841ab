// The popup: this page's highlights in reading order (click to scroll to
// one), orphans with their quote and their repair (accept the possible
// match, or attach to the words selected on the page), changes waiting for the server, the
// connection, and a link to the page in the web view. Opened as
// popup.html?tab=ID it shows that tab (for tests and for a pinned window).

import { api, ask } from "../platform.js";
import { COLORS } from "../shared/dom-text.js";

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
function repair(li, { id, possible }, tabId) {
  const box = Object.assign(document.createElement("div"), { className: "repair" });
  const ask = async (type) => {
    const answer = await api.tabs.sendMessage(tabId, { type, id }).catch(() => null);
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

function item({ id, exact, color, note, status }, tabId) {
  const li = document.createElement("li");
  li.dataset.id = id;
  li.dataset.status = status;
  const dot = Object.assign(document.createElement("span"), { className: "dot" });
  dot.style.background = COLORS[color] ?? COLORS.yellow;
  const text = Object.assign(document.createElement("div"), { className: "text" });
  text.append(Object.assign(document.createElement("div"), { className: "quote", textContent: exact }));
  if (note) text.append(Object.assign(document.createElement("div"), { className: "note", textContent: note }));
  li.append(dot, text);
  if (status !== "exact") li.append(Object.assign(document.createElement("span"), { className: `flag ${status}`, textContent: status }));
  if (status !== "orphan") li.addEventListener("click", () => api.tabs.sendMessage(tabId, { type: "focus", id }));
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

async function render() {
  const tab = await targetTab();
  const [state, list] = await Promise.all([
    ask({ type: "popup-state", url: tab.url }),
    api.tabs.sendMessage(tab.id, { type: "list" }).catch(() => null),
  ]);
  if (state) showConnection(state);
  if (state?.pageUrl) {
    $("web-view").href = state.pageUrl;
    $("web-view").hidden = false;
  }
  if (!list) {
    $("count").textContent = "This page";
    $("highlights").replaceChildren(Object.assign(document.createElement("li"), { className: "empty", textContent: "Margins cannot highlight this page." }));
    return;
  }
  const placed = list.filter((entry) => entry.status !== "orphan");
  const orphans = list.filter((entry) => entry.status === "orphan");
  $("count").textContent = `${list.length} highlight${list.length === 1 ? "" : "s"} on this page`;
  $("highlights").replaceChildren(...placed.map((entry) => item(entry, tab.id)));
  if (!list.length) $("highlights").replaceChildren(Object.assign(document.createElement("li"), { className: "empty", textContent: "Select text on the page to highlight it." }));
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
  document.body.dataset.ready = "true";
}

render();
// The queue may drain while the popup is open.
setInterval(render, 2000);
