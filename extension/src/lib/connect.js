// Connecting with a one-time code from the server's Settings → Connect a browser
// (POST /api/v1/connect, docs/api.md). Pure but for connectWithCode's fetch, which
// is passed in (as server-api.js does), so node tests it too.
//
//   normalizeCode(typed) -> "ABCD-EFGH" | null   the rule of tests/fixtures/rules/connect-codes.json
//   browserName(userAgent) -> "Firefox on Linux"  what the new token is named after
//   connectRequest(base, code, browser) -> {url, init}   the request to send
//   readConnectAnswer(base, status, body, retryAfter?) -> {state, message, serverUrl?, token?, username?}
//       state: "ok" | "bad-code" | "unknown-code" | "gone" | "throttled" | "not-margins"
//       serverUrl is the address that reached the server (the one to keep: the server's own idea
//       of its address, server_url, may be wrong behind a proxy it does not trust)
//   connectWithCode(serverUrl, typed, userAgent, fetchImpl?) -> the same, and
//       "invalid-url" | "unreachable" when it never reaches a server

import { serverBase } from "./settings.js";

const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const MAKE_ANOTHER = "make a new one in Margins under Settings → Connect a browser";

export function normalizeCode(typed) {
  const kept = String(typed ?? "").replace(/[\s-]+/g, "").toUpperCase();
  if (kept.length !== 8 || [...kept].some((character) => !ALPHABET.includes(character))) return null;
  return `${kept.slice(0, 4)}-${kept.slice(4)}`;
}

const BROWSERS = [[/Edg\//, "Edge"], [/OPR\//, "Opera"], [/Firefox\//, "Firefox"], [/Chromium\//, "Chromium"],
  [/Chrome\//, "Chrome"], [/Safari\//, "Safari"]];
const SYSTEMS = [[/Android/, "Android"], [/CrOS/, "ChromeOS"], [/Windows/, "Windows"], [/iPhone|iPad/, "iOS"],
  [/Mac OS X|Macintosh/, "macOS"], [/Linux/, "Linux"]];

export function browserName(userAgent) {
  const agent = String(userAgent ?? "");
  const browser = BROWSERS.find(([pattern]) => pattern.test(agent))?.[1] ?? "A browser";
  const system = SYSTEMS.find(([pattern]) => pattern.test(agent))?.[1];
  return system ? `${browser} on ${system}` : browser;
}

export function connectRequest(base, code, browser) {
  return {
    url: `${base}/api/v1/connect`,
    // No credentials: the code is the one; a cookie of the server's web view must not come along.
    init: { method: "POST", headers: { "Content-Type": "application/json" }, credentials: "omit",
      body: JSON.stringify({ code, browser }) },
  };
}

export function readConnectAnswer(base, status, body, retryAfter = null) {
  const said = typeof body?.error?.message === "string" ? body.error.message : "";
  if (status === 201 && typeof body?.token === "string" && typeof body?.username === "string") {
    return { state: "ok", serverUrl: base, token: body.token, username: body.username,
      message: `Connected to ${base} as ${body.username}. Saved: highlights now sync.` };
  }
  if (status === 410) return { state: "gone", message: said || `This code was used already or has expired; ${MAKE_ANOTHER}.` };
  if (status === 404 && body?.error?.code === "not_found") {
    return { state: "unknown-code", message: `${base} does not know this code: check it, and that the server is the one that made it, or ${MAKE_ANOTHER}.` };
  }
  if (status === 422 && body?.error) return { state: "bad-code", message: said };
  if (status === 429) {
    const wait = retryAfter ? ` in ${retryAfter} seconds` : " later";
    return { state: "throttled", message: `Too many wrong or stale codes from here; try again${wait}, with a new code.` };
  }
  return { state: "not-margins", message: `${base} answers, but not as a Margins server (HTTP ${status} for /api/v1/connect). Check the address: it is the one bin/serve prints, without /api/v1.` };
}

export async function connectWithCode(serverUrl, typed, userAgent, fetchImpl = fetch) {
  const base = serverBase(serverUrl);
  if (!base) {
    return { state: "invalid-url", message: `"${serverUrl}" is not an http:// or https:// address; enter your Margins server's, e.g. http://127.0.0.1:5000.` };
  }
  const code = normalizeCode(typed);
  if (!code) {
    return { state: "bad-code", message: `A code is 8 letters and digits, like ABCD-EFGH (no 0, O, 1 or I); ${MAKE_ANOTHER} if you have none.` };
  }
  const { url, init } = connectRequest(base, code, browserName(userAgent));
  let response;
  try {
    response = await fetchImpl(url, init);
  } catch (error) {
    return { state: "unreachable", message: `Nothing answers at ${base} (${error.message}). Is the server running (bin/serve), and is the address right?` };
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    // not JSON: not a Margins server
  }
  return readConnectAnswer(base, response.status, body, response.headers?.get?.("Retry-After") ?? null);
}
