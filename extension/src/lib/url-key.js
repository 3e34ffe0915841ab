// The key a page's highlights are kept under locally: the URL normalized the
// way the server does it (docs/api.md, "Pages and URL keys"), minus the
// canonical-link step, which only the server can take. Pure.
//
//   urlKey(url) -> string | null   null for URLs Margins cannot keep (not http/https)

const TRACKING = new Set([
  "gclid", "dclid", "fbclid", "msclkid", "mc_cid", "mc_eid", "_hsenc", "_hsmi", "mkt_tok",
  "igshid", "yclid", "ref_src", "jsessionid", "_ga", "_gl", "twclid", "ttclid", "wbraid", "gbraid",
]);
const HOST_TRACKING = [
  [/(^|\.)youtube\.com$|^youtu\.be$/, new Set(["si", "feature"])],
  [/(^|\.)spotify\.com$/, new Set(["si"])],
  [/(^|\.)instagram\.com$/, new Set(["igsh"])],
];

function isTracking(name, host) {
  const lower = name.toLowerCase();
  if (lower.startsWith("utm_") || TRACKING.has(lower)) return true;
  return HOST_TRACKING.some(([pattern, names]) => pattern.test(host) && names.has(lower));
}

export function urlKey(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return null;
  parsed.username = "";
  parsed.password = "";
  parsed.hostname = parsed.hostname.replace(/\.$/, "");
  const host = parsed.hostname;
  const params = [...parsed.searchParams].filter(([name]) => !isTracking(name, host));
  params.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  parsed.search = new URLSearchParams(params).toString();
  // A single-page app's route (#!/… or #/…) names content; other fragments do not.
  if (!/^#!?\//.test(parsed.hash)) parsed.hash = "";
  return parsed.href;
}
