import { test } from "node:test";
import assert from "node:assert/strict";
import { docText, pageAt, pagesOf, pageText, piecesOf } from "../src/pdf/doc-text.js";

test("a page's text puts a line break after an item that ends a line and skips marked-content markers", () => {
  const page = pageText([{ str: "The lamp", hasEOL: true }, { type: "beginMarkedContent" }, { str: "was lit.", hasEOL: false }]);
  assert.equal(page.text, "The lamp\nwas lit.");
  assert.deepEqual(page.starts, [0, 9]);
});

test("the document's offsets map to pages and back, a span across a page break in two pieces", () => {
  const doc = docText(["first page", "second", "third"]);
  assert.equal(doc.text, "first page\n\nsecond\n\nthird");
  assert.equal(pageAt(doc, 0), 0);
  assert.equal(pageAt(doc, 10), 0);
  assert.equal(pageAt(doc, 12), 1);
  const start = doc.text.indexOf("page");
  const end = doc.text.indexOf("cond") + 4;
  assert.deepEqual(pagesOf(doc, start, end), { first: 1, last: 2 });
  assert.deepEqual(piecesOf(doc, start, end), [{ page: 0, start: 6, end: 10 }, { page: 1, start: 0, end: 6 }]);
  assert.deepEqual(pagesOf(doc, 12, 18), { first: 2, last: 2 });
  assert.deepEqual(piecesOf(doc, doc.text.indexOf("third"), doc.text.length), [{ page: 2, start: 0, end: 5 }]);
});
