import { test } from "node:test";
import assert from "node:assert/strict";
import { documentUrlOf, viewerUrlOf } from "../src/lib/pdf-viewer-url.js";

const VIEWER = "chrome-extension://abc/viewer.html";

test("the document's URL comes back whole, query and all, from the viewer's address", () => {
  const url = "https://example.org/paper.pdf?download=1&v=2";
  assert.equal(documentUrlOf(viewerUrlOf(VIEWER, url)), url);
});

test("a page number after # belongs to the viewer, not to the document", () => {
  assert.equal(documentUrlOf(`${viewerUrlOf(VIEWER, "https://example.org/a.pdf")}#page=3`), "https://example.org/a.pdf");
});

test("an encoded document URL (from a link that encoded it) is decoded", () => {
  assert.equal(documentUrlOf(`${VIEWER}?file=${encodeURIComponent("https://example.org/a b.pdf")}`), "https://example.org/a b.pdf");
});

test("an address that is not the viewer's names no document", () => {
  assert.equal(documentUrlOf("https://example.org/paper.pdf"), null);
});
