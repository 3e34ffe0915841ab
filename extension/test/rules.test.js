// The rules the extension shares with the server, run on the same vectors
// as tests/services/test_rules.py (tests/fixtures/rules/*.json): where both
// sides keep an implementation, these files are the contract.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { inReadingOrder } from "../src/lib/reading-order.js";
import { splitTags, tagName } from "../src/lib/tags.js";
import { textDirective } from "../src/lib/text-fragment.js";
import { urlKey } from "../src/lib/url-key.js";
import { COLORS } from "../src/shared/dom-text.js";
import PALETTE from "../../server/models/palette.json" with { type: "json" };
import TRACKING from "../../server/services/url_tracking.json" with { type: "json" };

const rules = (name) => JSON.parse(readFileSync(new URL(`../../tests/fixtures/rules/${name}.json`, import.meta.url), "utf8"));
const shown = (text) => JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);

const URL_KEYS = rules("url-keys");

test("URL keys: every vector", async (t) => {
  for (const { url, key, why } of URL_KEYS.vectors) {
    await t.test(`${shown(url)}: ${why}`, () => assert.equal(urlKey(url), key));
  }
});

test("URL keys: spellings of one page give one key", () => {
  for (const { urls, why } of URL_KEYS.same_key) {
    assert.equal(new Set(urls.map(urlKey)).size, 1, why);
  }
});

test("URL keys: every tracking parameter of the shared list is dropped, on any host", () => {
  for (const name of Object.values(TRACKING.params).flat()) {
    assert.equal(urlKey(`https://example.com/a?${name.toUpperCase()}=1&b=2`), "https://example.com/a?b=2", name);
  }
});

test("URL keys: a key is its own key", () => {
  for (const { key } of URL_KEYS.vectors.filter((vector) => vector.key)) assert.equal(urlKey(key), key);
});

test("text-fragment links: every vector", async (t) => {
  for (const { prefix, exact, suffix, fragment, why } of rules("text-fragments").vectors) {
    await t.test(why, () => assert.equal(textDirective({ exact, prefix, suffix }), fragment));
  }
});

test("text-fragment links: every vector with the page's text (Copy link)", async (t) => {
  for (const { page, prefix, exact, suffix, fragment, why } of rules("text-fragments").on_the_page_vectors) {
    await t.test(why, () => assert.equal(textDirective({ exact, prefix, suffix }, page), fragment));
  }
});

const TAGS = rules("tag-names");

test("tag names: every vector the extension can meet (the length limit is the server's)", async (t) => {
  for (const { raw, stored, error, why } of TAGS.names.filter((vector) => vector.error !== "long")) {
    await t.test(why, () => assert.equal(tagName(raw), error === "empty" ? "" : stored));
  }
});

test("tag names: typed tags, split as the server splits them", async (t) => {
  for (const { text, tags, why } of TAGS.typed) {
    await t.test(why, () => assert.deepEqual(splitTags(text), tags));
  }
});

test("reading order: every vector", async (t) => {
  for (const { highlights, order, why } of rules("reading-order").vectors) {
    await t.test(why, () => assert.deepEqual(inReadingOrder(highlights).map((item) => item.id), order));
  }
});

test("palette: the extension's colors are the server's palette, names in its order", () => {
  const marks = Object.fromEntries(Object.entries(PALETTE.colors).map(([name, { mark }]) => [name, mark]));
  assert.deepEqual(Object.entries(COLORS), Object.entries(marks));
});
