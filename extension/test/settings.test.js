import { test } from "node:test";
import assert from "node:assert/strict";
import { isExcluded, serverBase, wantsSnapshot, withDefaults } from "../src/lib/settings.js";

test("excluded sites match the host and its subdomains, with or without www or scheme", () => {
  const sites = ["bank.example", "https://www.mail.example.org/inbox"];
  assert.ok(isExcluded("https://bank.example/login", sites));
  assert.ok(isExcluded("https://online.bank.example/", sites));
  assert.ok(isExcluded("https://mail.example.org/x", sites));
  assert.ok(!isExcluded("https://notbank.example/", sites));
  assert.ok(!isExcluded("https://example.org/", sites));
});

test("snapshot policy: always, on the first highlight, never; excluded sites never", () => {
  const url = "https://example.com/a";
  assert.ok(wantsSnapshot(withDefaults({}), url, false));
  assert.ok(!wantsSnapshot(withDefaults({}), url, true));
  assert.ok(wantsSnapshot(withDefaults({ snapshotPolicy: "always" }), url, true));
  assert.ok(!wantsSnapshot(withDefaults({ snapshotPolicy: "never" }), url, false));
  assert.ok(!wantsSnapshot(withDefaults({ excludedSites: ["example.com"] }), url, false));
});

test("the server address is kept without a trailing slash", () => {
  assert.equal(serverBase(" http://127.0.0.1:5000/ "), "http://127.0.0.1:5000");
  assert.equal(serverBase("https://example.com/margins/"), "https://example.com/margins");
  assert.equal(serverBase("127.0.0.1:5000"), null);
});
