// The text of a PDF in page order, from PDF.js's text content, and offsets
// mapped between the document's text and (page, offset in the page). Pure.
//
//   pageText(items) -> {text, starts}   one page: the items' strings in order, a
//       line break after an item that ends a line; starts[k]: where the k-th
//       item with a string (the k-th span of PDF.js's text layer) starts
//   docText(pageTexts) -> doc   {text, starts}: the pages joined by PAGE_BREAK;
//       starts[i]: where page i (0-based) starts
//   pageAt(doc, offset) -> index of the page holding offset
//   pagesOf(doc, start, end) -> {first, last}   1-based, the `pages` selector
//   piecesOf(doc, start, end) -> [{page, start, end}]  a span cut at page
//       breaks, offsets within each page (0-based page index)

export const PAGE_BREAK = "\n\n";

export function pageText(items) {
  const parts = [];
  const starts = [];
  let length = 0;
  for (const item of items) {
    if (item.str === undefined) continue; // marked-content markers
    starts.push(length);
    const part = item.str + (item.hasEOL ? "\n" : "");
    parts.push(part);
    length += part.length;
  }
  return { text: parts.join(""), starts };
}

export function docText(pageTexts) {
  const starts = [];
  let length = 0;
  for (const text of pageTexts) {
    starts.push(length);
    length += text.length + PAGE_BREAK.length;
  }
  return { text: pageTexts.join(PAGE_BREAK), starts };
}

export function pageAt(doc, offset) {
  let low = 0;
  let high = doc.starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (doc.starts[mid] <= offset) low = mid; else high = mid - 1;
  }
  return low;
}

export function pagesOf(doc, start, end) {
  return { first: pageAt(doc, start) + 1, last: pageAt(doc, Math.max(start, end - 1)) + 1 };
}

export function piecesOf(doc, start, end) {
  const pieces = [];
  for (let page = pageAt(doc, start); page < doc.starts.length && doc.starts[page] < end; page++) {
    const pageStart = doc.starts[page];
    const pageEnd = page + 1 < doc.starts.length ? doc.starts[page + 1] - PAGE_BREAK.length : doc.text.length;
    const from = Math.max(start, pageStart) - pageStart;
    const to = Math.min(end, pageEnd) - pageStart;
    if (to > from) pieces.push({ page, start: from, end: to });
  }
  return pieces;
}
