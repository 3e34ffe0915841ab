// The PDF.js side of the viewer: pages laid out at their size, each rendered
// (canvas and text layer) when it comes near the view, zoom, going to a
// page, and the document's text for anchoring. DOM and PDF.js only.
//
//   openViewer(container, data, {workerSrc, onPageRendered(index, layer)}) -> viewer
//     viewer.pdf                       PDF.js's document
//     viewer.count                     pages
//     viewer.texts() -> Promise<[{text, starts}]>  every page's text (doc-text.js pageText)
//     viewer.layer(index) -> {div, spans} | null   a rendered page's text layer; spans[k]
//                                      is the k-th item's span (doc-text.js starts[k])
//     viewer.goTo(pageNumber)          scroll to a page (1-based)
//     viewer.current() -> pageNumber   the page at the top of the view
//     viewer.zoom(factor)              scale by factor (re-renders)

import { GlobalWorkerOptions, TextLayer, getDocument } from "pdfjs-dist";
import { pageText } from "./doc-text.js";

const NEAR = "150% 0px"; // render a page this far before it scrolls into view

export async function openViewer(container, data, { workerSrc, onPageRendered }) {
  GlobalWorkerOptions.workerSrc = workerSrc;
  const pdf = await getDocument({ data, isEvalSupported: false, enableScripting: false }).promise;
  const first = await pdf.getPage(1);
  let scale = Math.min(1.5, Math.max(0.5, (container.clientWidth - 32) / first.getViewport({ scale: 1 }).width));
  const slots = [];
  const layers = new Map(); // index -> {div, spans}
  const rendering = new Map(); // index -> task
  let textsPromise = null;

  const sizeOf = (page) => page.getViewport({ scale });
  const layout = (slot, viewport) => {
    slot.style.width = `${viewport.width}px`;
    slot.style.height = `${viewport.height}px`;
    slot.style.setProperty("--total-scale-factor", String(viewport.scale)); // the text layer's CSS
  };

  async function render(index) {
    if (rendering.has(index) || layers.has(index)) return;
    const slot = slots[index];
    const task = (async () => {
      const page = await pdf.getPage(index + 1);
      const viewport = sizeOf(page);
      layout(slot, viewport);
      const ratio = window.devicePixelRatio || 1;
      const canvas = document.createElement("canvas");
      canvas.width = Math.floor(viewport.width * ratio);
      canvas.height = Math.floor(viewport.height * ratio);
      canvas.style.width = `${viewport.width}px`;
      canvas.style.height = `${viewport.height}px`;
      const div = document.createElement("div");
      div.className = "textLayer";
      await page.render({ canvas, viewport, transform: ratio === 1 ? null : [ratio, 0, 0, ratio, 0, 0] }).promise;
      const layer = new TextLayer({ textContentSource: await page.getTextContent(), container: div, viewport });
      await layer.render();
      slot.replaceChildren(canvas, div);
      slot.dataset.rendered = "true";
      const entry = { div, spans: layer.textDivs };
      layers.set(index, entry);
      onPageRendered(index, entry);
    })();
    rendering.set(index, task);
    try {
      await task;
    } finally {
      rendering.delete(index);
    }
  }

  const observer = new IntersectionObserver((entries) => {
    for (const entry of entries) if (entry.isIntersecting) render(Number(entry.target.dataset.index));
  }, { rootMargin: NEAR });

  const firstSize = sizeOf(first);
  for (let index = 0; index < pdf.numPages; index++) {
    const slot = document.createElement("div");
    slot.className = "page";
    slot.dataset.index = String(index);
    slot.dataset.pageNumber = String(index + 1);
    layout(slot, firstSize);
    container.append(slot);
    slots.push(slot);
    observer.observe(slot);
  }

  return {
    pdf,
    count: pdf.numPages,
    texts() {
      textsPromise ??= Promise.all(slots.map(async (_, index) => {
        const page = await pdf.getPage(index + 1);
        return pageText((await page.getTextContent()).items);
      }));
      return textsPromise;
    },
    layer: (index) => layers.get(index) ?? null,
    goTo(number) {
      const slot = slots[Math.min(slots.length, Math.max(1, number)) - 1];
      slot?.scrollIntoView({ block: "start", behavior: "instant" });
    },
    current() {
      const top = slots.findIndex((slot) => slot.getBoundingClientRect().bottom > 60);
      return top === -1 ? slots.length : top + 1;
    },
    zoom(factor) {
      const at = this.current();
      scale = Math.min(4, Math.max(0.25, scale * factor));
      layers.clear();
      for (const slot of slots) {
        slot.replaceChildren();
        delete slot.dataset.rendered;
        layout(slot, firstSize.clone({ scale }));
        observer.unobserve(slot);
        observer.observe(slot);
      }
      this.goTo(at);
    },
  };
}
