import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { browserName, connectRequest, connectWithCode, normalizeCode, readConnectAnswer } from "../src/lib/connect.js";

const RULE = JSON.parse(readFileSync(new URL("../../tests/fixtures/rules/connect-codes.json", import.meta.url), "utf8"));
const BASE = "http://127.0.0.1:5000";

test("a typed code is taken as the shared rule says", async (t) => {
  for (const { typed, code, why } of RULE.vectors) {
    await t.test(why, () => assert.equal(normalizeCode(typed), code));
  }
});

test("the browser is named from its user agent", () => {
  const agents = {
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0": "Firefox on Linux",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36": "Chrome on Windows",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0": "Edge on macOS",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36": "Chrome on Linux",
    "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36": "Chrome on Android",
    "": "A browser",
  };
  for (const [agent, name] of Object.entries(agents)) assert.equal(browserName(agent), name, agent);
});

test("the request sends the code and the browser as JSON, without cookies or a token", () => {
  const { url, init } = connectRequest(BASE, "ABCD-EFGH", "Firefox on Linux");
  assert.equal(url, `${BASE}/api/v1/connect`);
  assert.equal(init.method, "POST");
  assert.equal(init.credentials, "omit");
  assert.deepEqual(init.headers, { "Content-Type": "application/json" });
  assert.deepEqual(JSON.parse(init.body), { code: "ABCD-EFGH", browser: "Firefox on Linux" });
});

test("a 201 gives the address that reached the server, the token and the user", () => {
  const answer = readConnectAnswer(BASE, 201, { server_url: "http://internal:8000", token: "mrg_x", username: "ann" });
  assert.deepEqual({ ...answer, message: undefined }, { state: "ok", serverUrl: BASE, token: "mrg_x", username: "ann", message: undefined });
  assert.match(answer.message, /Connected to http:\/\/127\.0\.0\.1:5000 as ann/);
});

test("refusals say what to do", () => {
  const gone = readConnectAnswer(BASE, 410, { error: { code: "gone", message: "This code was used already: …; make a new code in Settings → Connect a browser." } });
  assert.equal(gone.state, "gone");
  assert.match(gone.message, /used already/);
  const unknown = readConnectAnswer(BASE, 404, { error: { code: "not_found", message: "…" } });
  assert.equal(unknown.state, "unknown-code");
  assert.match(unknown.message, /Settings → Connect a browser/);
  const throttled = readConnectAnswer(BASE, 429, { error: { code: "too_many_requests", message: "…" } }, "42");
  assert.equal(throttled.state, "throttled");
  assert.match(throttled.message, /try again in 42 seconds/);
  assert.equal(readConnectAnswer(BASE, 422, { error: { code: "invalid", message: "A code is 8 …" } }).message, "A code is 8 …");
  const other = readConnectAnswer(BASE, 404, null);
  assert.equal(other.state, "not-margins");
  assert.match(other.message, /not as a Margins server \(HTTP 404/);
  assert.equal(readConnectAnswer(BASE, 200, { token: "mrg_x" }).state, "not-margins");
});

function answering(status, body, headers = {}) {
  const calls = [];
  const fetchImpl = async (url, init) => {
    calls.push({ url, init });
    return { status, headers: new Headers(headers), json: async () => { if (body === undefined) throw new SyntaxError("not JSON"); return body; } };
  };
  return { calls, fetchImpl };
}

test("connectWithCode checks the address and the code before sending anything", async () => {
  const { calls, fetchImpl } = answering(201, {});
  assert.equal((await connectWithCode("ftp://x", "ABCD-EFGH", "", fetchImpl)).state, "invalid-url");
  const bad = await connectWithCode(BASE, "ABCD-EFG0", "", fetchImpl);
  assert.equal(bad.state, "bad-code");
  assert.match(bad.message, /like ABCD-EFGH/);
  assert.equal(calls.length, 0);
});

test("connectWithCode sends the normalized code to the server's base and reads the answer", async () => {
  const { calls, fetchImpl } = answering(201, { server_url: BASE, token: "mrg_new", username: "ann" });
  const answer = await connectWithCode(`${BASE}/`, " abcd efgh ", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", fetchImpl);
  assert.equal(answer.state, "ok");
  assert.equal(answer.token, "mrg_new");
  assert.equal(calls[0].url, `${BASE}/api/v1/connect`);
  assert.deepEqual(JSON.parse(calls[0].init.body), { code: "ABCD-EFGH", browser: "Firefox on Linux" });
});

test("connectWithCode: no answer, an answer that is not JSON, a throttle with Retry-After", async () => {
  const unreachable = await connectWithCode(BASE, "ABCD-EFGH", "", async () => { throw new TypeError("Failed to fetch"); });
  assert.equal(unreachable.state, "unreachable");
  assert.match(unreachable.message, /Nothing answers at http:\/\/127\.0\.0\.1:5000 \(Failed to fetch\)/);
  assert.equal((await connectWithCode(BASE, "ABCD-EFGH", "", answering(200, undefined).fetchImpl)).state, "not-margins");
  const throttled = await connectWithCode(BASE, "ABCD-EFGH", "", answering(429, { error: {} }, { "Retry-After": "7" }).fetchImpl);
  assert.match(throttled.message, /in 7 seconds/);
});
