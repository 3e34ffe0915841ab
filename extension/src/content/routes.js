// Calls onChange() when the page's URL changes without a reload: pushState,
// replaceState, Back and Forward (popstate), hash changes, and any other
// same-document navigation the Navigation API reports. The page's own
// history calls run in the page's world, out of a content script's reach, so
// where the Navigation API is missing (Firefox ESR) the URL is also looked at
// twice a second. Events only make it look: a page that fakes one changes
// nothing, since onChange() gets the URL the document really has.
//
//   watchRoutes(window, onChange) -> stop()

const POLL_MS = 500;

export function watchRoutes(window, onChange) {
  let last = window.location.href;
  const check = () => {
    const now = window.location.href;
    if (now === last) return;
    last = now;
    onChange(now);
  };
  // After the page's own handler of the same event has changed the URL.
  const soon = () => setTimeout(check, 0);
  window.addEventListener("popstate", soon);
  window.addEventListener("hashchange", soon);
  const navigation = window.navigation;
  navigation?.addEventListener?.("currententrychange", soon);
  const poll = navigation ? null : setInterval(check, POLL_MS);
  return () => {
    window.removeEventListener("popstate", soon);
    window.removeEventListener("hashchange", soon);
    navigation?.removeEventListener?.("currententrychange", soon);
    clearInterval(poll);
  };
}
