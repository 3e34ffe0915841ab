import { test } from "node:test";
import assert from "node:assert/strict";
import { urlKey } from "../src/lib/url-key.js";

test("scheme and host are lowercased, default ports, credentials and fragments dropped", () => {
  assert.equal(urlKey("HTTPS://user:pw@Example.COM:443/Story/7#comments"), "https://example.com/Story/7");
  assert.equal(urlKey("http://example.com:80/a/./b/../c"), "http://example.com/a/c");
});

test("tracking parameters go, the rest is sorted", () => {
  assert.equal(urlKey("https://example.com/a?utm_source=x&b=2&fbclid=abc&a=1&ref=main"), "https://example.com/a?a=1&b=2&ref=main");
  assert.equal(urlKey("https://www.youtube.com/watch?v=abc&si=xyz&feature=share"), "https://www.youtube.com/watch?v=abc");
  assert.equal(urlKey("https://example.com/watch?v=abc&si=xyz"), "https://example.com/watch?si=xyz&v=abc");
});

test("single-page-app routes in the fragment are kept", () => {
  assert.equal(urlKey("https://app.example.com/#!/notes/4"), "https://app.example.com/#!/notes/4");
  assert.equal(urlKey("https://app.example.com/#/notes/4"), "https://app.example.com/#/notes/4");
});

test("only http and https pages have a key", () => {
  assert.equal(urlKey("ftp://example.com/file.txt"), null);
  assert.equal(urlKey("chrome://extensions"), null);
  assert.equal(urlKey("not a url"), null);
});
