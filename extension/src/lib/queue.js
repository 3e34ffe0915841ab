// The offline queue of changes waiting for the server, as plain data (kept in
// storage.local by the service worker). Pure: every function returns a new
// queue or a decision, and nothing here talks to the network.
//
// An op is one of
//   {kind: "page", url, title, html}     PUT /api/v1/pages (html: the snapshot)
//   {kind: "put", id, url, body}         PUT /api/v1/highlights/<id>
//   {kind: "delete", id, url}            DELETE /api/v1/highlights/<id>
// and gets a `seq` number when queued. Ops are sent in order, one at a time.
//
//   emptyQueue() -> queue
//   enqueue(queue, op) -> queue   a change to highlight X replaces X's queued
//       put (only the latest state needs sending; a replaced put that is in
//       flight is harmless, as the newer op follows it); a page op replaces
//       the queued page op of the same URL.
//   head(queue) -> op | undefined     the next op to send
//   settle(queue, seq) -> queue        the op was done (or given up): drop it
//   pendingFor(queue, key, keyOf) -> ops   the ops whose URL has this key
//   overlay(highlights, queue, key, keyOf) -> highlights   the server's list
//       with the queued puts and deletes of that page applied
//   outcome(status) -> "done" | "retry" | "unauthorized" | "rejected"
//       what an HTTP status (0: no answer) means for the op that got it
//   retryDelay(attempt, waitMs?) -> ms backoff: 1 s, 2 s, 4 s … at most 60 s;
//       and never less than waitMs, what the server asked for (at most 15 min)
//   retryAfterMs(header, now?) -> ms | 0   a Retry-After header (seconds or an
//       HTTP date) as milliseconds to wait; 0 when absent or unreadable

export const MAX_DELAY = 60_000;
// A server that asks for longer is asked again after this (it answers 429 with a new Retry-After).
export const MAX_RETRY_AFTER = 15 * 60_000;

export function emptyQueue() {
  return { nextSeq: 1, ops: [] };
}

export function enqueue(queue, op) {
  const replaced = (queued) => (op.kind === "page"
    ? queued.kind === "page" && queued.url === op.url
    : queued.kind === "put" && queued.id === op.id);
  return {
    nextSeq: queue.nextSeq + 1,
    ops: [...queue.ops.filter((queued) => !replaced(queued)), { ...op, seq: queue.nextSeq }],
  };
}

export function head(queue) {
  return queue.ops[0];
}

export function settle(queue, seq) {
  return { ...queue, ops: queue.ops.filter((op) => op.seq !== seq) };
}

export function pendingFor(queue, key, keyOf) {
  return queue.ops.filter((op) => keyOf(op.url) === key);
}

export function overlay(highlights, queue, key, keyOf) {
  const byId = new Map(highlights.map((highlight) => [highlight.id, highlight]));
  for (const op of pendingFor(queue, key, keyOf)) {
    if (op.kind === "put") byId.set(op.id, { ...byId.get(op.id), ...op.body, id: op.id });
    if (op.kind === "delete") byId.delete(op.id);
  }
  return [...byId.values()];
}

export function outcome(status) {
  if (status >= 200 && status < 300) return "done";
  if (status === 401) return "unauthorized";
  if (status === 0 || status === 408 || status === 429 || status >= 500) return "retry";
  return "rejected";
}

export function retryDelay(attempt, waitMs = 0) {
  const backoff = Math.min(MAX_DELAY, 1000 * 2 ** Math.max(0, attempt));
  return Math.max(backoff, Math.min(MAX_RETRY_AFTER, waitMs));
}

export function retryAfterMs(header, now = Date.now()) {
  const value = (header ?? "").trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = value ? Date.parse(value) : NaN;
  return Number.isNaN(date) ? 0 : Math.max(0, date - now);
}
