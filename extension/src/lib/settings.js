// Settings of the extension (kept in storage.local under "settings"). Pure.
//
//   DEFAULT_SETTINGS
//   withDefaults(stored) -> settings
//   serverBase(url) -> string | null   the server URL without trailing slash; null if not http(s)
//   isExcluded(url, excludedSites) -> boolean   the page's host is, or is under, an excluded site
//   wantsSnapshot(settings, url, pageHasHighlights) -> boolean

export const DEFAULT_SETTINGS = {
  serverUrl: "http://127.0.0.1:5000",
  token: "",
  snapshotPolicy: "first", // "always" | "first" (on a page's first highlight) | "never"
  defaultColor: "yellow",
  excludedSites: [],
};

export function withDefaults(stored) {
  return { ...DEFAULT_SETTINGS, ...(stored ?? {}) };
}

export function serverBase(url) {
  try {
    const parsed = new URL(String(url).trim());
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return null;
    return (parsed.origin + parsed.pathname).replace(/\/+$/, "");
  } catch {
    return null;
  }
}

function siteHost(site) {
  const trimmed = site.trim().toLowerCase();
  if (!trimmed) return "";
  try {
    return new URL(trimmed.includes("://") ? trimmed : `http://${trimmed}`).hostname.replace(/^www\./, "");
  } catch {
    return "";
  }
}

export function isExcluded(url, excludedSites) {
  let host;
  try {
    host = new URL(url).hostname.toLowerCase().replace(/^www\./, "");
  } catch {
    return false;
  }
  return excludedSites.map(siteHost).some((site) => site && (host === site || host.endsWith(`.${site}`)));
}

export function wantsSnapshot(settings, url, pageHasHighlights) {
  if (settings.snapshotPolicy === "never" || isExcluded(url, settings.excludedSites)) return false;
  return settings.snapshotPolicy === "always" || !pageHasHighlights;
}
