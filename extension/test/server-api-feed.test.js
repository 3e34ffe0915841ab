// fetchFeed and fetchPageHighlights against a real HTTP server on 127.0.0.1
// that pages the feed as Margins does (docs/api.md "How a client syncs").
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { fetchFeed, fetchPageHighlights } from "../src/lib/server-api.js";

const TOKEN = "mrg_good";
const ITEMS = [
  { id: "a", deleted: false, url: "https://example.com/p" },
  { id: "b", deleted: true },
  { id: "c", deleted: false, url: "https://example.com/p" },
];
let server;
let asked = [];

before(async () => {
  server = await new Promise((resolve) => {
    const made = http.createServer((request, response) => {
      const query = new URL(request.url, "http://x").searchParams;
      asked.push(Object.fromEntries(query));
      if (request.headers.authorization !== `Bearer ${TOKEN}`) {
        response.writeHead(401, { "Content-Type": "application/json" });
        return response.end(JSON.stringify({ error: { code: "unauthorized", message: "no", fields: {} } }));
      }
      // Two items a batch here, whatever limit says, so paging shows.
      const start = Number(query.get("cursor") ?? 0);
      const items = ITEMS.slice(start, start + 2);
      const next = start + 2 < ITEMS.length ? String(start + 2) : null;
      response.writeHead(200, { "Content-Type": "application/json" });
      response.end(JSON.stringify({ items, next_cursor: next, sync_cursor: next ?? String(ITEMS.length) }));
    }).listen(0, "127.0.0.1", () => resolve(made));
  });
});

after(() => server.close());

const base = () => `http://127.0.0.1:${server.address().port}`;

test("the feed is asked a thousand at a time from the cursor given, tombstones included", async () => {
  asked = [];
  const first = await fetchFeed(base(), TOKEN, null);
  assert.deepEqual(first.items.map((item) => item.id), ["a", "b"]);
  assert.equal(first.next_cursor, "2");
  const rest = await fetchFeed(base(), TOKEN, first.next_cursor);
  assert.deepEqual([rest.items.map((item) => item.id), rest.next_cursor, rest.sync_cursor], [["c"], null, "3"]);
  assert.deepEqual(asked, [{ limit: "1000" }, { limit: "1000", cursor: "2" }]);
});

test("a page's highlights follow every cursor and leave out tombstones", async () => {
  asked = [];
  const list = await fetchPageHighlights(base(), TOKEN, "https://example.com/p");
  assert.deepEqual(list.map((item) => item.id), ["a", "c"]);
  assert.ok(asked.every((query) => query.url === "https://example.com/p"));
});

test("a refused token and no answer throw with the status (0: no answer)", async () => {
  await assert.rejects(fetchFeed(base(), "mrg_bad", null), (error) => error.status === 401);
  await assert.rejects(fetchFeed("http://127.0.0.1:9", TOKEN, null), (error) => error.status === 0);
});
