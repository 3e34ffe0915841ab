// PDFs open in Margins' viewer: a top-level response with Content-Type
// application/pdf is redirected to viewer.html?file=URL (declarativeNetRequest,
// matching on response headers: Chromium 128+); a local .pdf file too, when
// the user allowed file access; "Open in Margins' PDF viewer" on a link (the
// context menu) or on a tab (the popup). "Browser's viewer" in the viewer
// lets that URL through for the rest of the browser session.
//
//   setUpPdfRedirect()           (again on each start: the rule names this extension's URL)
//   addPdfMenu()                 on install
//   onPdfMenu(info, tab) -> boolean   handled
//   pdfHandlers                  messages: "open-pdf" {tabId, url}, "pdf-browser-viewer" {url}

import { api } from "../platform.js";
import { viewerUrlOf } from "../lib/pdf-viewer-url.js";

const MENU = "margins-open-pdf";
const REDIRECT_RULE = 1;
const viewerUrl = (url) => viewerUrlOf(api.runtime.getURL("viewer.html"), url);

export async function setUpPdfRedirect() {
  const rules = api.declarativeNetRequest;
  if (!rules?.updateDynamicRules) return; // Firefox: its own viewer, the popup button and the menu
  await rules.updateDynamicRules({
    removeRuleIds: [REDIRECT_RULE],
    addRules: [{
      id: REDIRECT_RULE,
      priority: 1,
      action: { type: "redirect", redirect: { regexSubstitution: viewerUrl("\\0") } },
      condition: {
        regexFilter: "^https?://.*", resourceTypes: ["main_frame"],
        responseHeaders: [{ header: "content-type", values: ["application/pdf*"] }],
      },
    }],
  }).catch((error) => console.warn("Margins: PDFs stay in the browser's viewer:", error));
}

export function addPdfMenu() {
  api.contextMenus.create({ id: MENU, title: "Open in Margins' PDF viewer", contexts: ["link"] });
}

export function onPdfMenu(info, tab) {
  if (info.menuItemId !== MENU) return false;
  api.tabs.create({ url: viewerUrl(info.linkUrl), ...(tab?.index != null ? { index: tab.index + 1 } : {}) });
  return true;
}

// Local files have no network request to redirect: the tab is sent on when it gets there.
export function followLocalPdfs() {
  api.tabs.onUpdated.addListener((tabId, change) => {
    if (change.url && /^file:.*\.pdf$/i.test(change.url.split(/[?#]/)[0]) && !passed.has(change.url)) {
      api.extension?.isAllowedFileSchemeAccess?.().then((allowed) => {
        if (allowed) api.tabs.update(tabId, { url: viewerUrl(change.url) });
      });
    }
  });
}

const passed = new Set(); // URLs sent to the browser's viewer this session
let nextRule = 1000;

export const pdfHandlers = {
  "open-pdf": ({ tabId, url }) => api.tabs.update(tabId, { url: viewerUrl(url) }).then(() => ({ ok: true })),
  async "pdf-browser-viewer"({ url }, sender) {
    passed.add(url);
    await api.declarativeNetRequest?.updateSessionRules?.({
      addRules: [{ id: nextRule++, priority: 2, action: { type: "allow" }, condition: { urlFilter: `|${url}|`, resourceTypes: ["main_frame"] } }],
    });
    if (sender.tab?.id != null) await api.tabs.update(sender.tab.id, { url });
    return { ok: true };
  },
};
