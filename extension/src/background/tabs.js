// What the service worker knows of each tab: the URL key and highlight count
// of its top page (for the badge), and which of its frames show that page
// (the top frame, its about:blank and srcdoc frames; for the popup). Kept in
// storage.session too, so a service worker the browser stopped and started
// again (Manifest V3 does so after 30 s idle) still refreshes every badge.
//
//   allTabs() -> Map(tabId -> {key, count, frames: {frameId: key}})
//   noteFrame(tabId, frameId, key, count)   from a frame's status message
//   pageFrames(tabId) -> [frameId]          the frames showing the tab's top page
//   forgetTab(tabId)

import { api } from "../platform.js";

const session = api.storage.session;
let tabs = new Map();
const loaded = (session ? session.get("tabs") : Promise.resolve({}))
  .then(({ tabs: saved }) => {
    tabs = new Map(Object.entries(saved ?? {}).map(([tabId, tab]) => [Number(tabId), tab]));
  })
  .catch(() => {});
const keep = () => session?.set({ tabs: Object.fromEntries(tabs) }).catch(() => {});

export async function allTabs() {
  await loaded;
  return tabs;
}

export async function noteFrame(tabId, frameId, key, count) {
  await loaded;
  const tab = tabs.get(tabId) ?? { key: null, count: 0, frames: {} };
  tab.frames[frameId] = key;
  if (frameId === 0) Object.assign(tab, { key, count });
  tabs.set(tabId, tab);
  keep();
}

export async function pageFrames(tabId) {
  const tab = (await allTabs()).get(tabId);
  return tab ? Object.entries(tab.frames).filter(([, key]) => key === tab.key).map(([frameId]) => Number(frameId)) : [];
}

export async function forgetTab(tabId) {
  await loaded;
  tabs.delete(tabId);
  keep();
}
