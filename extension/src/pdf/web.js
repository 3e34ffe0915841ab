// The web view's PDF page (/pages/<id>/pdf, server/web/pdf_view.py): the
// stored copy of the file in the same viewer modules as the extension's,
// with the page's highlights drawn (read-only). #page=N opens at that page.

import { createControls, followViewer } from "./controls.js";
import { docText } from "./doc-text.js";
import { createFinder } from "./find.js";
import { createPdfHighlights } from "./highlights.js";
import { openViewer } from "./viewer-core.js";

async function start() {
  const { file, worker, highlights: list } = JSON.parse(document.getElementById("pdf-data").textContent);
  let find = null;
  let viewer = null;
  const controls = createControls(document, {
    onPage: (number) => viewer?.goTo(number),
    onZoom: (factor) => viewer?.zoom(factor),
    onFind: (query, backwards) => find?.find(query, backwards),
  });
  const answer = await fetch(file, { credentials: "same-origin" });
  if (!answer.ok) throw new Error(`The stored file could not be read (${answer.status}).`);
  let onRendered = () => {};
  viewer = await openViewer(document.getElementById("viewer"), await answer.arrayBuffer(), {
    workerSrc: worker, onPageRendered: (index) => onRendered(index),
  });
  followViewer(window, viewer, controls);
  const pageTexts = await viewer.texts();
  const doc = docText(pageTexts.map((page) => page.text));
  const highlights = createPdfHighlights(document, doc, viewer, pageTexts, { styles: false });
  highlights.set(list);
  find = createFinder(document, viewer, doc, highlights, controls);
  onRendered = (index) => {
    highlights.drawPage(index);
    find.onRendered();
  };
  for (let index = 0; index < viewer.count; index++) if (viewer.layer(index)) onRendered(index);
  document.body.dataset.ready = "true";
}

start().catch((error) => {
  document.getElementById("status").textContent = String(error.message ?? error);
  document.getElementById("status").hidden = false;
  document.body.dataset.ready = "error";
});
