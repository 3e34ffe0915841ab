// The WebExtension API object: Firefox has `browser` (and `chrome`), Chrome
// only `chrome`; both return promises in Manifest V3.
export const api = globalThis.browser ?? globalThis.chrome;

// runtime.sendMessage that answers null instead of throwing when nobody
// listens (the service worker is starting, or the extension was reloaded).
export async function ask(message) {
  try {
    return await api.runtime.sendMessage(message);
  } catch {
    return null;
  }
}
