// The document's highlights in the viewer: anchored on the document's text
// (the same anchoring.js as web pages; pages rendered or not), drawn piece
// by piece on each page they cover once that page is rendered, and new
// highlights described from a selection in the text layers.
//
//   createPdfHighlights(document, doc, viewer, pageTexts, {styles}?) -> highlights
//     (styles: false leaves the colours to the page's stylesheet, as in the web view)
//     .set(list), .upsert(h), .remove(id), .get(id), .all()
//     .drawPage(index)                 draw what falls on a page just rendered
//     .selectorOfRange(range) -> {quote, position, pages} | null
//     .attach(id, range), .acceptPossible(id) -> highlight | null   orphan repair
//     .inReadingOrder() -> [{highlight, status, page, possible}]
//     .hitTest(x, y) -> id | null;  .rangeOf(id);  .pageOf(id) -> 1-based | null
//     .rangeAtDoc(start, end) -> Range on a rendered page | null

import { inReadingOrder } from "../lib/reading-order.js";
import { describe, isExact, locate } from "../shared/anchoring.js";
import { createPainter, offsetsOf, textOf } from "../shared/dom-text.js";
import { pageAt, pagesOf, piecesOf } from "./doc-text.js";

const keyOf = (id, page) => `${id}|${page}`;

export function createPdfHighlights(document, doc, viewer, pageTexts, { styles = true } = {}) {
  const painter = createPainter(document, { mode: "highlights", styles });
  const byId = new Map(); // id -> {highlight, found, possible}

  // A point of a rendered page's text layer at a page offset.
  const pointAt = (index, offset, isEnd) => {
    const { spans } = viewer.layer(index);
    const { starts } = pageTexts[index];
    let best = null;
    for (let k = 0; k < spans.length; k++) {
      const node = spans[k].firstChild;
      if (!node) continue;
      if (starts[k] < offset || (!isEnd && starts[k] === offset)) best = { node, offset: Math.min(node.data.length, offset - starts[k]) };
      else break;
    }
    return best;
  };

  const rangeOn = (index, start, end) => {
    const from = pointAt(index, start, false);
    const to = pointAt(index, end, true);
    if (!from || !to) return null;
    const range = document.createRange();
    range.setStart(from.node, from.offset);
    range.setEnd(to.node, to.offset);
    return range;
  };

  const drawOn = (entry, index) => {
    const { highlight, found } = entry;
    painter.unpaint(keyOf(highlight.id, index));
    if (!found || !viewer.layer(index)) return;
    for (const piece of piecesOf(doc, found.start, found.end)) {
      if (piece.page !== index) continue;
      const range = rangeOn(index, piece.start, piece.end);
      if (range) painter.paint(keyOf(highlight.id, index), range, highlight.color);
    }
  };

  const undraw = (id) => {
    for (const key of painter.ids()) if (key.startsWith(`${id}|`)) painter.unpaint(key);
  };

  const place = (entry) => {
    undraw(entry.highlight.id);
    const { found, possible } = locate(doc.text, entry.highlight);
    entry.found = found;
    entry.possible = possible;
    if (found) for (const piece of piecesOf(doc, found.start, found.end)) drawOn(entry, piece.page);
  };

  // The document offsets of a selection over one or more rendered pages.
  function offsetsOfRange(range) {
    let start = null;
    let end = null;
    for (let index = 0; index < viewer.count; index++) {
      const layer = viewer.layer(index);
      if (!layer || !range.intersectsNode(layer.div)) continue;
      const map = textOf(layer.div);
      const span = offsetsOf(map, range);
      if (!span) continue;
      const toPage = (offset, isEnd) => {
        let i = 0;
        while (i + 1 < map.nodes.length && (map.starts[i + 1] < offset || (!isEnd && map.starts[i + 1] === offset))) i++;
        const k = layer.spans.indexOf(map.nodes[i].parentElement);
        return doc.starts[index] + pageTexts[index].starts[k] + offset - map.starts[i];
      };
      if (start === null) start = toPage(span.start, false);
      end = toPage(span.end, true);
    }
    if (start === null) return null;
    while (start < end && /\s/.test(doc.text[start])) start++;
    while (end > start && /\s/.test(doc.text[end - 1])) end--;
    return end > start ? { start, end } : null;
  }

  function selectorOfRange(range) {
    const span = offsetsOfRange(range);
    return span && { ...describe(doc.text, span.start, span.end), pages: pagesOf(doc, span.start, span.end) };
  }

  function attach(id, range) {
    const entry = byId.get(id);
    const selector = entry && selectorOfRange(range);
    if (!selector) return null;
    const highlight = { ...entry.highlight, ...selector };
    api.upsert(highlight);
    return highlight;
  }

  const statusOf = (entry) => (!entry.found ? "orphan" : isExact(entry.found) ? "exact" : "approximate");

  const api = {
    set(list) {
      painter.clear();
      byId.clear();
      for (const highlight of list) api.upsert(highlight);
    },
    upsert(highlight) {
      const entry = byId.get(highlight.id) ?? { highlight, found: null, possible: null };
      const moved = entry.highlight.quote?.exact !== highlight.quote?.exact || !entry.found;
      entry.highlight = highlight;
      byId.set(highlight.id, entry);
      if (moved) place(entry);
      else for (const piece of piecesOf(doc, entry.found.start, entry.found.end)) drawOn(entry, piece.page);
    },
    remove(id) {
      undraw(id);
      byId.delete(id);
    },
    get: (id) => byId.get(id)?.highlight ?? null,
    all: () => [...byId.values()].map((entry) => entry.highlight),
    drawPage(index) {
      for (const entry of byId.values()) {
        if (entry.found && piecesOf(doc, entry.found.start, entry.found.end).some((piece) => piece.page === index)) drawOn(entry, index);
      }
    },
    selectorOfRange,
    attach,
    acceptPossible(id) {
      const entry = byId.get(id);
      if (!entry?.possible) return null;
      const { start, end } = entry.possible;
      const highlight = { ...entry.highlight, ...describe(doc.text, start, end), pages: pagesOf(doc, start, end) };
      api.upsert(highlight);
      return highlight;
    },
    inReadingOrder() {
      return inReadingOrder([...byId.values()].map((entry) => ({
        highlight: entry.highlight, status: statusOf(entry), start: entry.found?.start ?? null,
        created_at: entry.highlight.created_at,
        page: entry.found ? pageAt(doc, entry.found.start) + 1 : null,
        possible: !entry.found && entry.possible ? doc.text.slice(entry.possible.start, entry.possible.end) : null,
      })));
    },
    hitTest: (x, y) => painter.hitTest(x, y)?.split("|")[0] ?? null,
    rangeOf(id) {
      const key = painter.ids().find((each) => each.startsWith(`${id}|`));
      return key ? painter.rangeOf(key) : null;
    },
    // The Range of document text on one rendered page (find in the document).
    rangeAtDoc(start, end) {
      const [piece] = piecesOf(doc, start, end);
      if (!piece || !viewer.layer(piece.page)) return null;
      return rangeOn(piece.page, piece.start, piece.end);
    },
    pageOf: (id) => {
      const found = byId.get(id)?.found;
      return found ? pageAt(doc, found.start) + 1 : null;
    },
  };
  return api;
}
