import { test } from "node:test";
import assert from "node:assert/strict";
import { limitOfPage, limitOfUrl } from "../src/popup/limits.js";

test("tabs without the content script: browser pages, stores, files, PDFs, tabs opened before", () => {
  assert.match(limitOfUrl("chrome://extensions/"), /browser's own pages/);
  assert.match(limitOfUrl("about:preferences"), /browser's own pages/);
  assert.match(limitOfUrl("https://chromewebstore.google.com/detail/x"), /add-on stores/);
  assert.match(limitOfUrl("https://addons.mozilla.org/en-US/firefox/"), /add-on stores/);
  assert.match(limitOfUrl("file:///home/ann/a.html"), /Allow access to file URLs/);
  assert.match(limitOfUrl("https://example.com/report.PDF?page=2"), /Margins' PDF viewer/);
  assert.match(limitOfUrl("https://example.com/article"), /reload the page/);
});

test("pages the content script answered for", () => {
  assert.equal(limitOfPage({ rule: "on", pdf: false, closedShadowRoots: 0 }), null);
  assert.equal(limitOfPage({ rule: "no-toolbar", pdf: false, closedShadowRoots: 0 }), null);
  assert.match(limitOfPage({ rule: "on", pdf: true, closedShadowRoots: 0 }), /PDF/);
  assert.match(limitOfPage({ rule: "margins", pdf: false, closedShadowRoots: 0 }), /your Margins server/);
  assert.match(limitOfPage({ rule: "excluded", pdf: false, closedShadowRoots: 0 }), /excluded/);
  assert.match(limitOfPage({ rule: "on", pdf: false, closedShadowRoots: 1 }), /^1 part of this page is in closed shadow roots/);
  assert.match(limitOfPage({ rule: "on", pdf: false, closedShadowRoots: 3 }), /^3 parts of this page are in closed shadow roots/);
});
