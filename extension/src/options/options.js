// The options page: server URL and token (with a connection test that says
// what is wrong), snapshot policy, default color, excluded sites.

import { api } from "../platform.js";
import { COLORS } from "../shared/dom-text.js";
import { checkConnection } from "../lib/server-api.js";
import { serverBase, withDefaults } from "../lib/settings.js";

const $ = (id) => document.getElementById(id);

function fromForm() {
  return {
    serverUrl: serverBase($("serverUrl").value) ?? $("serverUrl").value.trim(),
    token: $("token").value.trim(),
    snapshotPolicy: document.querySelector('input[name="snapshotPolicy"]:checked')?.value ?? "first",
    defaultColor: $("defaultColor").value,
    excludedSites: $("excludedSites").value.split("\n").map((line) => line.trim()).filter(Boolean),
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
  document.body.dataset.ready = "true";
}

$("test").addEventListener("click", async () => {
  $("result").textContent = "Testing…";
  $("result").removeAttribute("data-state");
  const { serverUrl, token } = fromForm();
  const result = await checkConnection(serverUrl, token);
  $("result").dataset.state = result.state;
  $("result").textContent = result.message;
});

$("form").addEventListener("submit", async (event) => {
  event.preventDefault();
  await api.storage.local.set({ settings: fromForm() });
  $("saved").textContent = "Saved.";
});

show();
