// Marks the highlights in the readable copy with the extension's own anchoring
// code (served from extension/src/shared at /static/shared/), so the copy and
// the live page agree on where each highlight is. Positions are left out: they
// count in the live page's text, not the copy's; the quote and its context find
// the place. Highlights found here are taken off the "not found" list.

import { anchor } from "/static/shared/anchoring.js";
import { createPainter, rangeAt, textOf } from "/static/shared/dom-text.js";

const root = document.getElementById("readable");
const anchors = JSON.parse(document.getElementById("anchors").textContent);
const map = textOf(root);
const painter = createPainter(document, { styles: false }); // margins.css has the colours
const missing = [];

for (const { id, color, quote } of anchors) {
  const found = anchor(map.text, { quote });
  if (found) painter.paint(id, rangeAt(map, found.start, found.end), color);
  else missing.push(id);
}

const list = document.getElementById("orphan-list");
for (const item of list.querySelectorAll("li[data-uuid]")) {
  if (!missing.includes(item.dataset.uuid)) item.remove();
}
root.dataset.marked = String(painter.ids().length);
root.dataset.painter = painter.mode;
