// The key a page's highlights are kept under locally: the URL normalized by
// the server's rule (server/services/urlkeys.py; docs/api.md, "Pages and URL
// keys"), step for step, minus the canonical-link step, which only the server
// can take. The vectors in tests/fixtures/rules/url-keys.json hold the two
// to one answer; the tracking parameters are the server's own list, bundled
// from server/services/url_tracking.json. Pure.
//
//   urlKey(url) -> string | null   null for URLs the server refuses (not
//                                  absolute http/https, no valid host, too long, ...)

import TRACKING from "../../../server/services/url_tracking.json" with { type: "json" };
import { SPACE } from "./whitespace.js";

export const MAX_URL_LENGTH = 8192;

const DEFAULT_PORTS = { http: 80, https: 443 };
const TRACKING_PARAMS = new Set(Object.values(TRACKING.params).flat());
const HOST_TRACKING = Object.entries(TRACKING.hosts).map(([domain, names]) => [domain, new Set(names)]);

const UNRESERVED = new Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~");
const PATH_SAFE = new Set([...UNRESERVED, ..."!$&'()*+,;=:@/"]);
const QUERY_SAFE = new Set([...PATH_SAFE, "?"]);
const ROOT_ROUTES = new Set(["/", "!", "!/"]);

// Python's str.strip() (trim() would also strip U+FEFF and keep U+001C–U+001F, U+0085).
const EDGE_SPACE = new RegExp(`^[${SPACE}]+|[${SPACE}]+$`, "g");
const BAD_CHARACTER = /[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
const HOST_LABEL = /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?$/;
const JSESSIONID = /;jsessionid=[^/]*/gi;
const ESCAPE_RUN = /(?:%[0-9A-Fa-f]{2})+/g;
const HEX = /^[0-9A-Fa-f]{2}$/;
const UTF8 = new TextEncoder();

class Refused extends Error {}

export function urlKey(url) {
  try {
    const key = keyOf(url);
    if (key.length > MAX_URL_LENGTH) return null;
    return key;
  } catch (error) {
    if (error instanceof Refused) return null;
    throw error;
  }
}

function keyOf(url) {
  if (typeof url !== "string") throw new Refused();
  const text = url.replace(EDGE_SPACE, "");
  if (!text || [...text].length > MAX_URL_LENGTH || BAD_CHARACTER.test(text)) throw new Refused();
  const match = SCHEME.exec(text);
  if (!match) throw new Refused();
  const scheme = match[1].toLowerCase();
  let rest = text.slice(match[0].length);
  if (!(scheme in DEFAULT_PORTS) || !rest.startsWith("//")) throw new Refused();
  rest = rest.slice(2);
  const end = rest.search(/[/?#]/);
  const authority = end < 0 ? rest : rest.slice(0, end);
  rest = end < 0 ? "" : rest.slice(end);
  const [beforeFragment, fragment] = splitOnce(rest, "#");
  const [path, query] = splitOnce(beforeFragment, "?");
  const { host, port } = hostAndPort(authority, scheme);
  let key = `${scheme}://${port === null ? host : `${host}:${port}`}${normalizePath(path)}`;
  const pairs = normalizeQuery(query ?? "", host);
  if (pairs.length) key += `?${pairs.join("&")}`;
  const route = normalizeFragment(fragment);
  if (route !== null) key += `#${route}`;
  return key;
}

function splitOnce(text, separator) {
  const at = text.indexOf(separator);
  return at < 0 ? [text, null] : [text.slice(0, at), text.slice(at + 1)];
}

function hostAndPort(authority, scheme) {
  const hostport = authority.slice(authority.lastIndexOf("@") + 1); // userinfo is dropped
  let host, portText;
  if (hostport.startsWith("[")) {
    const close = hostport.indexOf("]");
    if (close < 0) throw new Refused();
    host = normalizeIPv6(hostport.slice(1, close));
    const after = hostport.slice(close + 1);
    if (after && !after.startsWith(":")) throw new Refused();
    portText = after.slice(1);
  } else {
    const colon = hostport.lastIndexOf(":");
    const rawHost = colon < 0 ? hostport : hostport.slice(0, colon);
    portText = colon < 0 ? "" : hostport.slice(colon + 1);
    if (rawHost.includes(":")) throw new Refused();
    host = normalizeHost(rawHost);
  }
  return { host, port: normalizePort(portText, scheme) };
}

// The browser's own IPv6 parser and serializer (compressed, lowercase), as Python's ipaddress writes it.
function normalizeIPv6(text) {
  if (/^[vV]/.test(text) || text.includes("%")) throw new Refused();
  try {
    return new URL(`http://[${text}]/`).hostname;
  } catch {
    throw new Refused();
  }
}

function normalizeHost(raw) {
  let host = unquote(raw, { strict: true }).toLowerCase();
  if (/[^\x00-\x7f]/.test(host)) host = punycode(host);
  if (host.endsWith(".")) host = host.slice(0, -1);
  if (!host || host.length > 253 || host.split(".").some((label) => label.length > 63 || !HOST_LABEL.test(label))) {
    throw new Refused();
  }
  return host;
}

// IDN hosts as the browser writes them (UTS 46). ASCII that no label may hold is refused first:
// the URL parser would read it as a separator ('\\') where the server's rule refuses the host.
// A last label ".x" keeps the parser from reading digits (fullwidth "０２") as an IPv4 address.
function punycode(host) {
  if (/(?![a-z0-9_.-])[\x00-\x7f]/.test(host)) throw new Refused();
  try {
    return new URL(`http://${host}.x/`).hostname.slice(0, -2).toLowerCase();
  } catch {
    throw new Refused();
  }
}

function normalizePort(text, scheme) {
  if (!text) return null; // no port, or "host:" which means the default port
  if (!/^[0-9]+$/.test(text) || Number(text) > 65535) throw new Refused();
  const port = Number(text);
  return port === DEFAULT_PORTS[scheme] ? null : port;
}

// Percent-escape runs decoded as UTF-8 (strict: invalid UTF-8 refuses the URL; else U+FFFD).
function unquote(text, { strict = false } = {}) {
  const decoder = new TextDecoder("utf-8", { fatal: strict });
  return text.replace(ESCAPE_RUN, (run) => {
    const bytes = Uint8Array.from(run.slice(1).split("%"), (hex) => parseInt(hex, 16));
    try {
      return decoder.decode(bytes);
    } catch {
      throw new Refused();
    }
  });
}

// One spelling for equivalent percent-encodings: %xx of an unreserved character decoded,
// other escapes in uppercase hex, a stray '%' and every character not in `safe` encoded as UTF-8.
function normalizeEscapes(text, safe) {
  const chars = [...text];
  let out = "";
  for (let i = 0; i < chars.length; i += 1) {
    const ch = chars[i];
    const hex = ch === "%" ? (chars[i + 1] ?? "") + (chars[i + 2] ?? "") : "";
    if (HEX.test(hex)) {
      const decoded = String.fromCharCode(parseInt(hex, 16));
      out += UNRESERVED.has(decoded) ? decoded : `%${hex.toUpperCase()}`;
      i += 2;
    } else if (safe.has(ch)) {
      out += ch;
    } else {
      out += [...UTF8.encode(ch)].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, "0")}`).join("");
    }
  }
  return out;
}

function normalizePath(path) {
  const normalized = normalizeEscapes(path.replace(JSESSIONID, ""), PATH_SAFE);
  return normalized ? removeDotSegments(normalized) : "/";
}

// RFC 3986 section 5.2.4 for an absolute path ('/...').
function removeDotSegments(path) {
  const segments = path.split("/").slice(1);
  const out = [];
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1;
    if (segment === "." || segment === "..") {
      if (segment === "..") out.pop();
      if (last) out.push("");
    } else {
      out.push(segment);
    }
  });
  return `/${out.join("/")}`;
}

function isTracking(name, host) {
  const folded = unquote(name).toLowerCase();
  if (TRACKING.prefixes.some((prefix) => folded.startsWith(prefix)) || TRACKING_PARAMS.has(folded)) return true;
  return HOST_TRACKING.some(([domain, names]) => (host === domain || host.endsWith(`.${domain}`)) && names.has(folded));
}

// Tracking parameters dropped, the rest sorted by name (stable: repeated names keep their order).
function normalizeQuery(query, host) {
  const kept = [];
  for (const piece of query.split("&")) {
    if (!piece) continue;
    const eq = piece.indexOf("=");
    const name = normalizeEscapes(eq < 0 ? piece : piece.slice(0, eq), QUERY_SAFE);
    if (isTracking(name, host)) continue;
    kept.push([name, eq < 0 ? name : `${name}=${normalizeEscapes(piece.slice(eq + 1), QUERY_SAFE)}`]);
  }
  kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return kept.map(([, pair]) => pair);
}

// A single-page app's route (#!… or #/…) names content; other fragments, and the app's root route, do not.
function normalizeFragment(fragment) {
  if (!fragment || !"!/".includes(fragment[0])) return null;
  const route = normalizeEscapes(fragment, QUERY_SAFE);
  return ROOT_ROUTES.has(route) ? null : route;
}
