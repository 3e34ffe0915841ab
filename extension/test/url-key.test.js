// The URL-key rule's shared cases are vectors (tests/fixtures/rules/url-keys.json,
// run by rules.test.js); here is what only the extension's side has to show.
import { test } from "node:test";
import assert from "node:assert/strict";
import { urlKey } from "../src/lib/url-key.js";

test("a missing or non-string URL has no key (a queued op from an older version may lack one)", () => {
  assert.equal(urlKey(undefined), null);
  assert.equal(urlKey(null), null);
  assert.equal(urlKey(42), null);
});

test("two spellings of one article share one local cache key", () => {
  const key = urlKey("https://Example.com/story?id=7&utm_source=rss&spm=a.b#comments");
  assert.equal(urlKey("https://example.com:443/story?fbclid=x&id=7"), key);
});
