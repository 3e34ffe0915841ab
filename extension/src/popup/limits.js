// What the popup says where Margins cannot highlight, and why. Pure.
//
//   limitOfUrl(url) -> text | null    for a tab the content script does not answer in
//   limitOfPage(info) -> text | null  for a page whose content script answered "page-info"
//   isPdfUrl(url) -> boolean          a web or local file named .pdf

const BROWSER_PAGES = /^(chrome|edge|brave|opera|vivaldi|about|chrome-extension|moz-extension|view-source|devtools|chrome-search):/;
const STORES = /^https:\/\/(chromewebstore\.google\.com|chrome\.google\.com\/webstore|addons\.mozilla\.org|microsoftedge\.microsoft\.com\/addons)\//;

const PDF = "This is a PDF in the browser's own viewer: open it in Margins' PDF viewer to highlight it.";

export const isPdfUrl = (url) => /^(https?|file):.*\.pdf([?#]|$)/i.test(url);

export function limitOfUrl(url) {
  if (STORES.test(url)) return "Browsers let no extension work on their add-on stores, so Margins cannot highlight this page.";
  if (BROWSER_PAGES.test(url)) return "This is one of the browser's own pages: browsers let no extension read or change them.";
  if (url.startsWith("file:")) {
    return "Margins cannot read local files unless you allow it: turn on \"Allow access to file URLs\" for Margins in the browser's extension settings.";
  }
  if (isPdfUrl(url)) return PDF;
  return "Margins is not running in this tab yet: reload the page (tabs opened before Margins was installed or updated need it).";
}

export function limitOfPage({ rule, pdf, closedShadowRoots }) {
  if (pdf) return PDF;
  if (rule === "margins") {
    return "This is your Margins server: its pages are never recorded as web pages. Highlight in the readable copy of an article there.";
  }
  if (rule === "excluded") return "This site is excluded in Margins' options: Margins does nothing here.";
  if (rule === "none") return "Margins keeps only http and https pages; this frame has none of its own.";
  if (closedShadowRoots) {
    return `${closedShadowRoots} part${closedShadowRoots === 1 ? " of this page is" : "s of this page are"} in closed shadow roots: `
      + "the page keeps their text from every script, so Margins cannot highlight it.";
  }
  return null;
}
