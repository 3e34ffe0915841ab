// checkConnection against real HTTP servers on 127.0.0.1: one that speaks like
// Margins about tokens, one that is some other web server, and a closed port.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { checkConnection } from "../src/lib/server-api.js";

const TOKEN = "mrg_good";
let margins;
let other;

function listen(handler) {
  return new Promise((resolve) => {
    const server = http.createServer(handler).listen(0, "127.0.0.1", () => resolve(server));
  });
}

const base = (server) => `http://127.0.0.1:${server.address().port}`;

before(async () => {
  margins = await listen((request, response) => {
    const ok = request.url === "/api/v1/me" && request.headers.authorization === `Bearer ${TOKEN}`;
    response.writeHead(ok ? 200 : 401, { "Content-Type": "application/json" });
    response.end(JSON.stringify(ok ? { id: 1, username: "ann" } : { error: { code: "unauthorized", message: "no", fields: {} } }));
  });
  other = await listen((request, response) => {
    response.writeHead(404, { "Content-Type": "text/html" });
    response.end("<h1>Not Found</h1>");
  });
});

after(() => {
  margins.close();
  other.close();
});

test("a good token on a Margins server connects", async () => {
  const result = await checkConnection(base(margins) + "/", TOKEN);
  assert.equal(result.state, "ok");
  assert.match(result.message, /as ann/);
});

test("a bad token, and no token, are told apart from other problems", async () => {
  assert.equal((await checkConnection(base(margins), "mrg_wrong")).state, "bad-token");
  assert.equal((await checkConnection(base(margins), "")).state, "no-token");
});

test("another web server is not a Margins server", async () => {
  const result = await checkConnection(base(other), TOKEN);
  assert.equal(result.state, "not-margins");
  assert.match(result.message, /Check the address/);
});

test("a closed port is unreachable; a non-URL is invalid", async () => {
  const closed = await listen(() => {});
  const address = base(closed);
  await new Promise((resolve) => closed.close(resolve));
  assert.equal((await checkConnection(address, TOKEN)).state, "unreachable");
  assert.equal((await checkConnection("localhost:5000", TOKEN)).state, "invalid-url");
});

test("the token hints name commands that work as typed and the web view's settings", async () => {
  for (const token of ["", "mrg_wrong"]) {
    const { message } = await checkConnection(base(margins), token);
    assert.match(message, /\.venv\/bin\/flask --app server tokens create NAME/);
    assert.match(message, /Settings → API tokens \(http:\/\/127\.0\.0\.1:\d+\/settings\)/);
  }
});
