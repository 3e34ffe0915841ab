// Settings of the extension (kept in storage.local under "settings"). Pure.
//
//   DEFAULT_SETTINGS
//   withDefaults(stored) -> settings
//   serverBase(url) -> string | null   the server URL without trailing slash; null if not http(s)
//   isExcluded(url, excludedSites) -> boolean   the page's host is, or is under, an excluded site
//   wantsSnapshot(settings, url, pageHasHighlights) -> boolean
//   siteHostOf(url) -> the host a per-site setting is kept under ("" if none)
//   siteRule(settings, url) -> what Margins does on this page:
//     "margins"     a page of the configured Margins server: nothing (never recorded as a web page)
//     "excluded"    an excluded site: nothing at all
//     "no-toolbar"  no toolbar on selections (the per-site switch); highlights are drawn
//     "on"          everything

export const DEFAULT_SETTINGS = {
  serverUrl: "http://127.0.0.1:5000",
  token: "",
  snapshotPolicy: "first", // "always" | "first" (on a page's first highlight) | "never"
  defaultColor: "yellow",
  excludedSites: [],
  noToolbarSites: [],
  feedMinutes: 1, // how often changes made elsewhere are fetched (at least 0.5: the browsers' shortest alarm)
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

export function siteHostOf(url) {
  try {
    return new URL(url).hostname.toLowerCase().replace(/^www\./, "");
  } catch {
    return "";
  }
}

const underSites = (url, sites) => {
  const host = siteHostOf(url);
  return Boolean(host) && sites.map(siteHost).some((site) => site && (host === site || host.endsWith(`.${site}`)));
};

export function isExcluded(url, excludedSites) {
  return underSites(url, excludedSites);
}

function isMarginsPage(url, serverUrl) {
  const base = serverBase(serverUrl);
  const page = serverBase(url);
  return Boolean(base && page) && (page === base || page.startsWith(`${base}/`));
}

export function siteRule(settings, url) {
  if (isMarginsPage(url, settings.serverUrl)) return "margins";
  if (isExcluded(url, settings.excludedSites)) return "excluded";
  if (underSites(url, settings.noToolbarSites)) return "no-toolbar";
  return "on";
}

export function wantsSnapshot(settings, url, pageHasHighlights) {
  if (settings.snapshotPolicy === "never" || isExcluded(url, settings.excludedSites)) return false;
  return settings.snapshotPolicy === "always" || !pageHasHighlights;
}
