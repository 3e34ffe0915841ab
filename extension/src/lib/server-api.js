// Talking to a Margins server (docs/api.md). Only web-standard APIs (fetch,
// CompressionStream), no extension APIs, so it runs in the service worker,
// the options page and node alike.
//
//   checkConnection(serverUrl, token, fetchImpl?) -> {state, message, user?}
//       state: "ok" | "invalid-url" | "no-token" | "unreachable" | "not-margins" | "bad-token"
//       message says exactly what is wrong and what to do.
//   sendOp(base, token, op, fetchImpl?) -> {status, body}
//       Sends one queued op (queue.js); status 0 when the server did not answer.
//   fetchPageHighlights(base, token, url, fetchImpl?) -> highlights
//       GET /api/v1/highlights?url=… following cursors; live ones only.
//       Throws {status} when the server does not answer 200.
//   fetchFeed(base, token, cursor, fetchImpl?) -> {items, next_cursor, sync_cursor}
//       One batch (1000) of the change feed from a cursor (null: from the start), tombstones included.
//       Throws {status} when the server does not answer 200 (status 0: no answer).

import { serverBase } from "./settings.js";

async function readJson(response) {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

export async function checkConnection(serverUrl, token, fetchImpl = fetch) {
  const base = serverBase(serverUrl);
  if (!base) {
    return { state: "invalid-url", message: `"${serverUrl}" is not an http:// or https:// address; enter your Margins server's, e.g. http://127.0.0.1:5000.` };
  }
  let response;
  try {
    response = await fetchImpl(`${base}/api/v1/me`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  } catch (error) {
    return { state: "unreachable", message: `Nothing answers at ${base} (${error.message}). Is the server running (bin/serve), and is the address right?` };
  }
  const body = await readJson(response);
  const code = body?.error?.code;
  if (response.status === 401 && code === "unauthorized") {
    const make = `Make one in Margins under Settings → API tokens (${base}/settings), or on the server with .venv/bin/flask --app server tokens create NAME.`;
    if (!token) return { state: "no-token", message: `This is a Margins server; now paste an API token. ${make}` };
    return { state: "bad-token", message: `This is a Margins server, but it does not accept this token (mistyped, revoked, or from another server). ${make}` };
  }
  if (response.ok && typeof body?.username === "string") {
    return { state: "ok", message: `Connected to ${base} as ${body.username}.`, user: body };
  }
  return { state: "not-margins", message: `${base} answers, but not as a Margins server (HTTP ${response.status} for /api/v1/me). Check the address: it is the one bin/serve prints, without /api/v1.` };
}

async function gzipJson(value) {
  const stream = new Blob([JSON.stringify(value)]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function request(op) {
  if (op.kind === "page") return { method: "PUT", path: "/api/v1/pages", json: { url: op.url, title: op.title, html: op.html }, gzip: true };
  if (op.kind === "put") return { method: "PUT", path: `/api/v1/highlights/${op.id}`, json: op.body };
  return { method: "DELETE", path: `/api/v1/highlights/${op.id}` };
}

export async function sendOp(base, token, op, fetchImpl = fetch) {
  const { method, path, json, gzip } = request(op);
  const headers = { Authorization: `Bearer ${token}` };
  let body;
  if (json) {
    headers["Content-Type"] = "application/json";
    if (gzip) headers["Content-Encoding"] = "gzip";
    body = gzip ? await gzipJson(json) : JSON.stringify(json);
  }
  let response;
  try {
    response = await fetchImpl(base + path, { method, headers, body });
  } catch {
    return { status: 0, body: null };
  }
  // A delete of an id the server never got (its put was dropped from the queue) is done too.
  const status = op.kind === "delete" && response.status === 404 ? 204 : response.status;
  return { status, body: await readJson(response) };
}

async function feedBatch(base, token, params, fetchImpl) {
  const query = new URLSearchParams({ limit: "1000", ...params });
  let response;
  try {
    response = await fetchImpl(`${base}/api/v1/highlights?${query}`, { headers: { Authorization: `Bearer ${token}` } });
  } catch (error) {
    throw Object.assign(new Error(error.message), { status: 0 });
  }
  if (response.status !== 200) throw Object.assign(new Error(`HTTP ${response.status}`), { status: response.status });
  return response.json();
}

export async function fetchPageHighlights(base, token, url, fetchImpl = fetch) {
  const items = [];
  let cursor = null;
  do {
    const page = await feedBatch(base, token, { url, ...(cursor ? { cursor } : {}) }, fetchImpl);
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return items.filter((item) => !item.deleted);
}

export const fetchFeed = (base, token, cursor, fetchImpl = fetch) => feedBatch(base, token, cursor ? { cursor } : {}, fetchImpl);
