import { test } from "node:test";
import assert from "node:assert/strict";
import { isExcluded, serverBase, siteRule, wantsSnapshot, withDefaults } from "../src/lib/settings.js";

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

test("site rule: the Margins server's own pages, excluded sites, sites without the toolbar, the rest", () => {
  const settings = withDefaults({ serverUrl: "http://127.0.0.1:5000/", excludedSites: ["bank.example"], noToolbarSites: ["mail.example.org"] });
  assert.equal(siteRule(settings, "http://127.0.0.1:5000/pages/3?view=readable"), "margins");
  assert.equal(siteRule(settings, "http://127.0.0.1:5000/"), "margins");
  assert.equal(siteRule(settings, "http://127.0.0.1:50001/article"), "on");
  assert.equal(siteRule(settings, "https://online.bank.example/"), "excluded");
  assert.equal(siteRule(settings, "https://mail.example.org/compose"), "no-toolbar");
  assert.equal(siteRule(settings, "https://example.org/"), "on");
  const underPath = withDefaults({ serverUrl: "https://example.com/margins" });
  assert.equal(siteRule(underPath, "https://example.com/margins/library"), "margins");
  assert.equal(siteRule(underPath, "https://example.com/marginalia"), "on");
});
