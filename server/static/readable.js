// Marks the highlights in the readable copy with the extension's own anchoring
// code (served from extension/src/shared at /static/shared/), so the copy and
// the live page agree on where each highlight is. Positions are left out: they
// count in the live page's text, not the copy's; the quote, its context and the
// kind of block it sat in find the place (the stored range's XPath is the live
// page's, so it is not resolved here). A highlight not drawn stays in the "not
// found" list, with its possible match to accept, or "Attach here" to attach it
// to words selected in the copy (the form posts the new quote and context).
// Words selected in the copy can be highlighted (readable-toolbar.js).

import { describe, locate } from "/static/shared/anchoring.js";
import { offerHighlighting } from "./readable-toolbar.js";
import { createPainter, offsetsOf, rangeAt, structureOf, textOf } from "/static/shared/dom-text.js";

const root = document.getElementById("readable");
const anchors = JSON.parse(document.getElementById("anchors").textContent);
const map = textOf(root);
const structure = { ...structureOf(map), resolve: () => null };
const painter = createPainter(document, { styles: false }); // margins.css has the colours
const list = document.getElementById("orphan-list");

function fill(form, { quote }) {
  for (const name of ["exact", "prefix", "suffix"]) form.elements[name].value = quote[name];
}

// The selection inside the copy, as a selector of its text (white space at
// its edges left out), or null.
function selectedSelector() {
  const selection = document.getSelection();
  if (!selection || selection.isCollapsed) return null;
  const offsets = offsetsOf(map, selection.getRangeAt(0));
  if (!offsets) return null;
  let { start, end } = offsets;
  while (start < end && /\s/.test(map.text[start])) start++;
  while (end > start && /\s/.test(map.text[end - 1])) end--;
  return end > start ? describe(map.text, start, end) : null;
}

function offerRepair(item, possible) {
  const form = item.querySelector("form.attach");
  if (!form) return;
  form.hidden = false;
  if (possible) {
    const shown = item.querySelector(".possible");
    shown.querySelector("q").textContent = map.text.slice(possible.start, possible.end);
    shown.hidden = false;
    form.querySelector("button.accept").hidden = false;
  }
  form.addEventListener("submit", (event) => {
    if (event.submitter?.value === "possible" && possible) return fill(form, describe(map.text, possible.start, possible.end));
    const selector = selectedSelector();
    if (selector) return fill(form, selector);
    event.preventDefault();
    form.querySelector(".attach-hint").textContent = "Select the words in the copy above first.";
  });
}

offerHighlighting(document.getElementById("new-highlight"), root, selectedSelector);

let orphans = 0;
for (const { id, color, quote, range } of anchors) {
  const { found, possible } = locate(map.text, { quote, range }, { structure });
  const item = list.querySelector(`li[data-uuid="${CSS.escape(id)}"]`);
  if (found) {
    painter.paint(id, rangeAt(map, found.start, found.end), color);
    item?.remove();
    continue;
  }
  orphans++;
  if (!item) continue;
  item.hidden = false;
  offerRepair(item, possible);
}
const allFound = document.getElementById("no-orphans");
if (allFound) allFound.hidden = orphans > 0;
root.dataset.marked = String(painter.ids().length);
root.dataset.painter = painter.mode;
