// What a content script needs to know about the document it runs in.
//
//   pageWindowOf(window) -> the window whose document is the page this one is
//     part of: itself for an http(s) document (a frame with its own URL is its
//     own page); the holding page's for an about:blank or srcdoc frame; null
//     when there is none Margins can keep.
//   pageLimits(document, api) -> {pdf, closedShadowRoots}: what on this page
//     Margins cannot highlight (the browser's PDF viewer; text inside closed
//     shadow roots, which no extension script can read).

const isWeb = (url) => /^https?:/.test(url);

export function pageWindowOf(window) {
  let current = window;
  try {
    while (!isWeb(current.location.href) && current !== current.parent) current = current.parent;
    return isWeb(current.location.href) ? current : null;
  } catch {
    return null; // a holding page of another origin (a sandboxed frame): not ours to name
  }
}

function closedRootOf(element, api) {
  const any = api.dom?.openOrClosedShadowRoot?.(element) ?? element.openOrClosedShadowRoot ?? null;
  return any && !element.shadowRoot ? any : null;
}

export function pageLimits(document, api) {
  let closedShadowRoots = 0;
  for (const element of document.querySelectorAll("*")) {
    if (!element.hasAttribute("data-margins-ui") && closedRootOf(element, api)) closedShadowRoots++;
  }
  return { pdf: document.contentType === "application/pdf", closedShadowRoots };
}
