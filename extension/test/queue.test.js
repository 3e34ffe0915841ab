import { test } from "node:test";
import assert from "node:assert/strict";
import { emptyQueue, enqueue, head, settle, overlay, outcome, retryDelay, retryAfterMs, pendingFor } from "../src/lib/queue.js";
import { urlKey } from "../src/lib/url-key.js";

const put = (id, note = "") => ({ kind: "put", id, url: "https://example.com/a", body: { quote: { exact: id }, note } });

test("ops are kept in order and settled by their seq", () => {
  let queue = emptyQueue();
  queue = enqueue(queue, put("a"));
  queue = enqueue(queue, put("b"));
  assert.equal(head(queue).id, "a");
  queue = settle(queue, head(queue).seq);
  assert.deepEqual(queue.ops.map((op) => op.id), ["b"]);
});

test("a newer change to a highlight replaces its queued put, and goes last", () => {
  let queue = emptyQueue();
  queue = enqueue(queue, put("a", "first"));
  queue = enqueue(queue, put("b"));
  queue = enqueue(queue, put("a", "second"));
  assert.deepEqual(queue.ops.map((op) => [op.id, op.body.note]), [["b", ""], ["a", "second"]]);
  queue = enqueue(queue, { kind: "delete", id: "a", url: "https://example.com/a" });
  assert.deepEqual(queue.ops.map((op) => [op.kind, op.id]), [["put", "b"], ["delete", "a"]]);
});

test("settling a put that a newer op replaced leaves the newer op", () => {
  let queue = enqueue(emptyQueue(), put("a", "first"));
  const inFlight = head(queue);
  queue = enqueue(queue, put("a", "second"));
  queue = settle(queue, inFlight.seq);
  assert.equal(head(queue).body.note, "second");
});

test("a page snapshot replaces an older queued snapshot of the same page", () => {
  let queue = emptyQueue();
  queue = enqueue(queue, { kind: "page", url: "https://example.com/a", html: "<p>1</p>" });
  queue = enqueue(queue, put("a"));
  queue = enqueue(queue, { kind: "page", url: "https://example.com/a", html: "<p>2</p>" });
  assert.deepEqual(queue.ops.map((op) => op.kind), ["put", "page"]);
});

test("the server's list of a page with queued changes applied", () => {
  let queue = emptyQueue();
  queue = enqueue(queue, put("new", "fresh"));
  queue = enqueue(queue, { kind: "delete", id: "gone", url: "https://example.com/a?utm_source=x" });
  queue = enqueue(queue, { ...put("elsewhere"), url: "https://example.org/" });
  const server = [{ id: "kept", quote: { exact: "k" } }, { id: "gone", quote: { exact: "g" } }];
  const key = urlKey("https://example.com/a");
  assert.deepEqual(overlay(server, queue, key, urlKey).map((h) => h.id), ["kept", "new"]);
  assert.equal(pendingFor(queue, key, urlKey).length, 2);
});

test("statuses: done, retry later, stop for the token, or give up", () => {
  assert.equal(outcome(201), "done");
  assert.equal(outcome(204), "done");
  assert.equal(outcome(0), "retry");
  assert.equal(outcome(503), "retry");
  assert.equal(outcome(429), "retry");
  assert.equal(outcome(401), "unauthorized");
  assert.equal(outcome(422), "rejected");
});

test("backoff doubles up to a minute", () => {
  assert.deepEqual([0, 1, 2, 3].map((attempt) => retryDelay(attempt)), [1000, 2000, 4000, 8000]);
  assert.equal(retryDelay(20), 60000);
});

test("a server's Retry-After is waited out, up to a quarter of an hour", () => {
  assert.equal(retryDelay(0, 30_000), 30_000, "longer than the backoff: the server's wait");
  assert.equal(retryDelay(5, 2_000), 32_000, "shorter than the backoff: the backoff");
  assert.equal(retryDelay(0, 24 * 3600_000), 15 * 60_000, "a day: asked again after 15 minutes");
});

test("Retry-After is read as seconds or as an HTTP date", () => {
  const now = Date.parse("2026-11-23T10:00:00Z");
  assert.equal(retryAfterMs("42", now), 42_000);
  assert.equal(retryAfterMs(" 7 ", now), 7_000);
  assert.equal(retryAfterMs("Mon, 23 Nov 2026 10:01:30 GMT", now), 90_000);
  assert.equal(retryAfterMs("Mon, 23 Nov 2026 09:00:00 GMT", now), 0, "a date passed: no wait");
  assert.equal(retryAfterMs(null, now), 0);
  assert.equal(retryAfterMs("", now), 0);
  assert.equal(retryAfterMs("soon", now), 0);
  assert.equal(retryAfterMs("-5", now), 0);
});
