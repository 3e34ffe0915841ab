// This page's highlights: anchors them in the live DOM, draws them, and
// re-anchors (debounced) when the page's text changes, so late content and
// single-page apps get their highlights, and orphans that appear stop being
// orphans.
//
//   createPageHighlights(document, {onChange}) -> highlights
//     .set(list)           replace all (the page's list from the service worker)
//     .upsert(highlight)   add or change one, and draw it
//     .remove(id)
//     .get(id), .all()
//     .status(id) -> "exact" | "approximate" | "orphan"
//     .inReadingOrder() -> [{highlight, status, start, possible}] by place on the page, orphans last
//                          (lib/reading-order.js; possible: the text of an orphan's possible match)
//     .selectorOfRange(range) -> {quote, position, range} | null   for a new highlight
//     .attach(id, range) -> highlight | null   an orphan repaired: its selectors
//                          replaced by the range's (id, note, tags, color stay), drawn
//     .acceptPossible(id) -> highlight | null  attach it to its possible match
//     .hitTest(x, y) -> id | null;  .rangeOf(id);  .focus(id)
//     .text() -> the page's text now (dom-text.js textOf), for Copy link
//     .shadowRoots() -> the open shadow roots in the page's text at the last pass
//   onChange() runs after every (re)anchoring, for the badge.
// Text in open shadow roots is the page's too: drawn there, and its changes
// watched (once a pass has found the root).

import { inReadingOrder } from "../lib/reading-order.js";
import { describe, isExact, locate } from "../shared/anchoring.js";
import { createPainter, observeText, offsetsOf, rangeAt, rangesAt, rangeSelector, structureOf, textOf } from "../shared/dom-text.js";

const SETTLE_MS = 400;

function trimmed(text, { start, end }) {
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  return end > start ? { start, end } : null;
}

export function createPageHighlights(document, { onChange }) {
  const painter = createPainter(document);
  const byId = new Map(); // id -> {highlight, found}
  let lastText = null;
  let shadowRoots = [];
  let timer = null;

  const mapOfPage = () => textOf(document.body);
  // Below the threshold a highlight is not drawn: an orphan, with the
  // possible match kept for the user to look at.
  const place = (entry, map, structure = structureOf(map)) => {
    const { found, possible } = locate(map.text, entry.highlight, { structure });
    entry.found = found;
    entry.possible = possible;
  };

  const draw = (entry, map) => {
    const { highlight, found } = entry;
    if (!found) return painter.unpaint(highlight.id);
    // <mark>s split text nodes, so in that mode each one needs a fresh map.
    const current = painter.mode === "marks" ? mapOfPage() : map;
    painter.paint(highlight.id, rangesAt(current, found.start, found.end), highlight.color);
  };

  const anchorAll = (map = mapOfPage()) => {
    lastText = map.text;
    watch(map);
    const structure = structureOf(map);
    for (const entry of byId.values()) {
      place(entry, map, structure);
      draw(entry, map);
    }
    observer.takeRecords(); // our own <mark>s are not page changes
    onChange();
  };

  const observer = new MutationObserver((records) => {
    if (records.every((record) => record.target.closest?.("[data-margins-ui], mark[data-margins-id]")
      || record.target.parentElement?.closest("[data-margins-ui]"))) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      const map = mapOfPage();
      if (map.text !== lastText) anchorAll(map);
      else watch(map); // a shadow root attached, its text still to come
    }, SETTLE_MS);
  });
  // The page's text as this pass read it, open shadow roots included, is what is watched.
  const watch = (map) => {
    shadowRoots = map.shadowRoots;
    observeText(observer, map);
  };
  watch(mapOfPage());

  const statusOf = (entry) => {
    if (!entry.found) return "orphan";
    return isExact(entry.found) ? "exact" : "approximate";
  };

  function selectorOfRange(range) {
    const map = mapOfPage();
    const offsets = offsetsOf(map, range);
    const span = offsets && trimmed(map.text, offsets);
    if (!span) return null;
    const exactRange = rangeAt(map, span.start, span.end);
    return { ...describe(map.text, span.start, span.end), range: rangeSelector(exactRange, document) };
  }

  function attach(id, range) {
    const entry = byId.get(id);
    const selector = entry && selectorOfRange(range);
    if (!selector) return null;
    const highlight = { ...entry.highlight, ...selector };
    entry.found = null; // anchored again from its new selectors
    api.upsert(highlight);
    return highlight;
  }

  const api = {
    set(list) {
      painter.clear();
      byId.clear();
      for (const highlight of list) byId.set(highlight.id, { highlight, found: null });
      anchorAll();
    },
    upsert(highlight) {
      const entry = byId.get(highlight.id) ?? { highlight, found: null };
      const colorOnly = entry.found && entry.highlight.quote.exact === highlight.quote.exact;
      entry.highlight = highlight;
      byId.set(highlight.id, entry);
      const map = mapOfPage();
      watch(map);
      if (!colorOnly) place(entry, map);
      draw(entry, map);
      observer.takeRecords();
      onChange();
    },
    remove(id) {
      painter.unpaint(id);
      byId.delete(id);
      observer.takeRecords();
      onChange();
    },
    get: (id) => byId.get(id)?.highlight ?? null,
    all: () => [...byId.values()].map((entry) => entry.highlight),
    inReadingOrder() {
      const text = lastText ?? "";
      return inReadingOrder([...byId.values()].map((entry) => ({
        highlight: entry.highlight, status: statusOf(entry), start: entry.found?.start ?? null, created_at: entry.highlight.created_at,
        possible: !entry.found && entry.possible ? text.slice(entry.possible.start, entry.possible.end) : null,
      })));
    },
    selectorOfRange,
    attach,
    acceptPossible(id) {
      const possible = byId.get(id)?.possible;
      return possible ? attach(id, rangeAt(mapOfPage(), possible.start, possible.end)) : null;
    },
    text: () => mapOfPage().text,
    shadowRoots: () => shadowRoots,
    hitTest: (x, y) => painter.hitTest(x, y),
    rangeOf: (id) => painter.rangeOf(id),
    focus: (id) => painter.focus(id),
  };
  return api;
}
