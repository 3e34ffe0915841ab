// The options page: connecting with a one-time code from the server's Settings
// (the server URL and a token of this browser's own, kept at once), or a pasted
// token (with a connection test that says what is wrong, and keeps them when
// they work); snapshot policy, default
// color, excluded sites, how often changes made elsewhere are fetched, and the sites where the toolbar is off (set from the
// popup, undone here).

import { api } from "../platform.js";
import { COLORS } from "../shared/dom-text.js";
import { connectWithCode } from "../lib/connect.js";
import { checkConnection } from "../lib/server-api.js";
import { DEFAULT_SETTINGS, serverBase, withDefaults } from "../lib/settings.js";

const $ = (id) => document.getElementById(id);
let noToolbarSites = [];

function fromForm() {
  return {
    noToolbarSites,
    serverUrl: serverBase($("serverUrl").value) ?? $("serverUrl").value.trim(),
    token: $("token").value.trim(),
    snapshotPolicy: document.querySelector('input[name="snapshotPolicy"]:checked')?.value ?? "first",
    defaultColor: $("defaultColor").value,
    excludedSites: $("excludedSites").value.split("\n").map((line) => line.trim()).filter(Boolean),
    feedMinutes: Number($("feedMinutes").value) || DEFAULT_SETTINGS.feedMinutes,
  };
}

async function show() {
  const settings = withDefaults((await api.storage.local.get("settings")).settings);
  $("defaultColor").replaceChildren(...Object.keys(COLORS).map((name) => new Option(name, name)));
  $("serverUrl").value = settings.serverUrl;
  $("token").value = settings.token;
  document.querySelector(`input[name="snapshotPolicy"][value="${settings.snapshotPolicy}"]`).checked = true;
  $("defaultColor").value = settings.defaultColor;
  $("excludedSites").value = settings.excludedSites.join("\n");
  $("feedMinutes").value = settings.feedMinutes;
  showNoToolbarSites(settings.noToolbarSites);
  document.body.dataset.ready = "true";
}

function showNoToolbarSites(sites) {
  noToolbarSites = sites;
  $("no-toolbar-none").hidden = sites.length > 0;
  $("no-toolbar-sites").replaceChildren(...sites.map((site) => {
    const item = document.createElement("li");
    const button = Object.assign(document.createElement("button"), { type: "button", className: "secondary", textContent: "Show the toolbar again" });
    button.addEventListener("click", async () => {
      const settings = withDefaults((await api.storage.local.get("settings")).settings);
      const left = settings.noToolbarSites.filter((other) => other !== site);
      await api.storage.local.set({ settings: { ...settings, noToolbarSites: left } });
      showNoToolbarSites(left);
    });
    item.append(Object.assign(document.createElement("span"), { textContent: site }), button);
    return item;
  }));
}

async function keepConnection(serverUrl, token) {
  const settings = withDefaults((await api.storage.local.get("settings")).settings);
  await api.storage.local.set({ settings: { ...settings, serverUrl, token } });
}

async function connect() {
  const result = $("connect-result");
  result.textContent = "Connecting…";
  result.removeAttribute("data-state");
  const answer = await connectWithCode($("serverUrl").value, $("code").value, navigator.userAgent);
  if (answer.state === "ok") {
    await keepConnection(answer.serverUrl, answer.token);
    $("serverUrl").value = answer.serverUrl;
    $("token").value = answer.token; // so that Save keeps it too
    $("code").value = "";
  }
  result.dataset.state = answer.state;
  result.textContent = answer.message;
}

$("connect").addEventListener("click", connect);
$("code").addEventListener("keydown", (event) => {
  if (event.key !== "Enter") return;
  event.preventDefault(); // Enter connects; it does not submit the whole form
  connect();
});

$("test").addEventListener("click", async () => {
  $("result").textContent = "Testing…";
  $("result").removeAttribute("data-state");
  const { serverUrl, token } = fromForm();
  const result = await checkConnection(serverUrl, token);
  // What works is kept at once: closing the tab after a good test loses nothing.
  if (result.state === "ok") await keepConnection(serverBase(serverUrl), token);
  $("result").dataset.state = result.state;
  $("result").textContent = result.state === "ok" ? `${result.message} Saved.` : result.message;
});

$("form").addEventListener("submit", async (event) => {
  event.preventDefault();
  await api.storage.local.set({ settings: fromForm() });
  $("saved").textContent = "Saved.";
});

show();
