// Find in the document: the next (Shift: previous) match of a query in the
// document's text, selected once its page is rendered.
//
//   createFinder(document, viewer, doc, highlights, controls) -> {find(query, backwards), onRendered()}

import { pageAt } from "./doc-text.js";

export function createFinder(document, viewer, doc, highlights, controls) {
  let last = -1;
  let waiting = null;
  const show = () => {
    if (!waiting || !viewer.layer(waiting.page)) return;
    const range = highlights.rangeAtDoc(waiting.start, waiting.end);
    waiting = null;
    if (!range) return;
    document.getSelection().removeAllRanges();
    document.getSelection().addRange(range);
    range.startContainer.parentElement.scrollIntoView({ block: "center", behavior: "instant" });
  };
  return {
    find(query, backwards) {
      const text = doc.text.toLowerCase();
      const needle = query.trim().toLowerCase();
      if (!needle) return;
      let at = backwards ? text.lastIndexOf(needle, Math.max(0, last - 1)) : text.indexOf(needle, last + 1);
      if (at === -1) at = backwards ? text.lastIndexOf(needle) : text.indexOf(needle);
      if (at === -1) {
        controls.status(`“${query}” is not in this document.`);
        return;
      }
      controls.status("");
      last = at;
      waiting = { page: pageAt(doc, at), start: at, end: at + needle.length };
      viewer.goTo(waiting.page + 1);
      show();
    },
    onRendered: show,
  };
}
