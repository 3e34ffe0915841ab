import { test } from "node:test";
import assert from "node:assert/strict";
import { COPY_BUDGET, applyFeed, drawable, markOf, ownerOf, sizeOf, toEvict } from "../src/lib/local-index.js";
import { urlKey } from "../src/lib/url-key.js";

const live = (id, url, exact = id) => ({
  id, deleted: false, page_id: 7, url, quote: { exact, prefix: "", suffix: "" }, position: { start: 0, end: 1 },
  range: null, color: "yellow", note: "", tags: [], created_at: "2026-12-01T10:00:00Z", updated_at: "2026-12-01T10:00:00Z",
});
const tombstone = (id) => ({ id, deleted: true, updated_at: "2026-12-01T11:00:00Z" });
const A = "https://example.com/a";
const B = "https://example.com/b";
const nothingKnown = { keyOf: urlKey, known: () => false };

test("a page's mark is the same for every URL with its key, and differs between pages", () => {
  assert.deepEqual(markOf(urlKey("https://example.com/a?utm_source=x")), markOf(urlKey("https://example.com/a")));
  assert.notDeepEqual(markOf(urlKey(A)), markOf(urlKey(B)));
  assert.match(markOf(urlKey(A)).bucket, /^keys:[0-9a-f]{2}$/);
  assert.match(markOf(urlKey(A)).entry, /^[0-9a-f]{10}$/);
});

test("the index's owner changes with the server or the token, and does not hold the token", () => {
  assert.notEqual(ownerOf("http://a", "mrg_1"), ownerOf("http://a", "mrg_2"));
  assert.notEqual(ownerOf("http://a", "mrg_1"), ownerOf("http://b", "mrg_1"));
  assert.ok(!ownerOf("http://a", "mrg_secret").includes("mrg_secret"));
});

test("live items make copies of new pages and mark them; what drawing does not need is left out", () => {
  const { pages, added, emptied } = applyFeed({}, [live("1", A), live("2", A), live("3", B)], nothingKnown);
  assert.deepEqual(pages[urlKey(A)].highlights.map((h) => h.id), ["1", "2"]);
  assert.equal(pages[urlKey(A)].pageId, 7);
  assert.deepEqual([...added].sort(), [urlKey(A), urlKey(B)].sort());
  assert.equal(emptied.size, 0);
  assert.equal(pages[urlKey(A)].highlights[0].updated_at, undefined);
  assert.equal(pages[urlKey(A)].highlights[0].deleted, undefined);
});

test("a changed highlight replaces its copy; a tombstone removes it, and an emptied page is unmarked", () => {
  const start = applyFeed({}, [live("1", A), live("2", A)], nothingKnown).pages;
  const changed = applyFeed(start, [live("1", A, "new words")], nothingKnown).pages;
  assert.deepEqual(changed[urlKey(A)].highlights.map((h) => [h.id, h.quote.exact]), [["2", "2"], ["1", "new words"]]);
  const { pages, emptied, added } = applyFeed(start, [tombstone("1"), tombstone("2")], nothingKnown);
  assert.equal(pages[urlKey(A)], null);
  assert.deepEqual([...emptied], [urlKey(A)]);
  assert.equal(added.size, 0);
});

test("a highlight moved to another page leaves its old copy", () => {
  const start = applyFeed({}, [live("1", A), live("2", A)], nothingKnown).pages;
  const { pages } = applyFeed(start, [live("1", B)], nothingKnown);
  assert.deepEqual(pages[urlKey(A)].highlights.map((h) => h.id), ["2"]);
  assert.deepEqual(pages[urlKey(B)].highlights.map((h) => h.id), ["1"]);
});

test("a marked page without a copy gets none from one new highlight (it would hide the others), but stays marked", () => {
  const { pages, added } = applyFeed({}, [live("9", A)], { keyOf: urlKey, known: (key) => key === urlKey(A) });
  assert.deepEqual(pages, {});
  assert.deepEqual([...added], [urlKey(A)]);
});

test("a tombstone of a highlight without a copy changes nothing (its page stays marked: one request on a visit)", () => {
  const { pages, added, emptied } = applyFeed({}, [tombstone("x")], nothingKnown);
  assert.deepEqual([pages, added.size, emptied.size], [{}, 0, 0]);
});

test("items without a page (a PDF's) or without a URL key are skipped", () => {
  const { pages, added } = applyFeed({}, [{ ...live("1", null) }, live("2", "about:blank")], nothingKnown);
  assert.deepEqual([pages, added.size], [{}, 0]);
});

test("eviction drops the least recently used copies until they fit, never the one kept", () => {
  const cache = { a: { bytes: 40, used: 1 }, b: { bytes: 40, used: 3 }, c: { bytes: 40, used: 2 } };
  assert.deepEqual(toEvict(cache, 100), ["a"]);
  assert.deepEqual(toEvict(cache, 50, "a"), ["c", "b"]);
  assert.deepEqual(toEvict(cache, 120), []);
});

test("200,000 highlights on 40,000 pages: the marks and copies stay within the stated size", () => {
  const marks = {};
  let cache = {};
  const copies = {};
  const exact = "x".repeat(180);
  const keys = new Map();
  const keyOf = (url) => keys.get(url) ?? keys.set(url, urlKey(url)).get(url);
  for (let batch = 0; batch < 200; batch++) {
    const items = Array.from({ length: 1000 }, (_, i) => {
      const n = batch * 1000 + i;
      return { ...live(`${n}`.padStart(36, "0"), `https://site${n % 40000}.example/articles/a-long-enough-path-${n % 40000}`, exact),
        range: { startContainer: "/html[1]/body[1]/main[1]/p[12]", startOffset: 3, endContainer: "/html[1]/body[1]/main[1]/p[12]", endOffset: 183 } };
    });
    const known = (key) => Boolean(marks[markOf(key).bucket]?.[markOf(key).entry]);
    const { pages, added } = applyFeed(copies, items, { keyOf, known });
    for (const key of added) (marks[markOf(key).bucket] ??= {})[markOf(key).entry] = 1;
    for (const [key, page] of Object.entries(pages)) {
      copies[key] = page;
      cache[key] = { bytes: sizeOf(page), used: batch };
    }
    for (const key of toEvict(cache, COPY_BUDGET)) {
      delete copies[key];
      delete cache[key];
    }
  }
  const markBytes = Object.values(marks).reduce((sum, bucket) => sum + sizeOf(bucket), 0);
  const copyBytes = Object.values(copies).reduce((sum, page) => sum + sizeOf(page), 0);
  assert.equal(Object.values(marks).reduce((sum, bucket) => sum + Object.keys(bucket).length, 0), 40000);
  assert.ok(markBytes <= 16 * 40000, `marks: ${markBytes} bytes`);
  assert.ok(copyBytes <= COPY_BUDGET, `copies: ${copyBytes} bytes`);
  assert.ok(sizeOf(cache) < 100 * Object.keys(cache).length, "the eviction record is small");
  assert.ok(Object.keys(copies).length > 0);
});

test("drawable keeps the selectors, color, note and tags the content script uses", () => {
  const kept = drawable(live("1", A));
  assert.deepEqual(Object.keys(kept).sort(), ["color", "created_at", "id", "note", "page_id", "position", "quote", "range", "tags", "url"]);
});
