// The text of a DOM subtree, mapped both ways to DOM Ranges, and painting of
// highlights. DOM only: no browser-extension APIs, no imports. Loaded by the
// extension and, from /static/shared/dom-text.js, by the web view.
//
// Exports
//   COLORS                       {yellow, green, blue, pink, purple, orange}: CSS colors
//   textOf(root, skip?) -> map   The text of `root`: its text nodes joined in
//       composed-tree order (open shadow roots in place of their hosts'
//       children, slots filled), leaving out <script>, <style>, <noscript>,
//       <template>, and elements with a data-margins-ui attribute (or for which
//       skip(element) is true). Text of two blocks (p, li, td, headings, div…,
//       or either side of a <br>) is a line apart: unless the page's own white
//       space between them has a line break, one "\n" is put between them
//       that is no DOM character (map.starts skips it), so words of adjacent
//       blocks are never glued. map = {root, text, nodes, starts, shadowRoots}
//       (shadowRoots: the open shadow roots walked); offsets into map.text are
//       what anchoring.js works on.
//   rangeAt(map, start, end) -> Range
//       The DOM Range of map.text.slice(start, end) (a span leaving a shadow
//       tree is cut where that tree's text ends: a Range holds one tree).
//   rangesAt(map, start, end) -> [Range]
//       The same span whole: one Range for each stretch of it in one tree.
//   observeText(observer, map)
//       Has a MutationObserver watch every change of map's text: map.root's
//       subtree and each open shadow root in it (which a root's observer misses).
//   offsetsOf(map, range) -> {start, end} | null
//       The text offsets of a Range or StaticRange (null when it holds none of
//       map's text).
//   openShadowRoots(root) -> [ShadowRoot]   the open shadow roots in root's composed tree
//   selectedRange(selection, root) -> Range | StaticRange | null
//       The selection's range, inside open shadow roots too (getComposedRanges).
//   rangeSelector(range, root) -> {startContainer, startOffset, endContainer, endOffset}
//       An XPath range selector (paths from `root`, offsets in the element's
//       text; "#shadow-root" steps into an open shadow root).
//   structureOf(map) -> structure
//       What anchoring.js's locate() weighs beside the text (its
//       options.structure): structure.blockAt(offset) and
//       structure.storedBlock(rangeSelector), the kind of block at an offset
//       and at a stored range's start ("p", "li", "p@aside",
//       "figcaption@figure": the innermost block and the set-apart block it is
//       in); structure.resolve(rangeSelector) -> {start, end} | null, the
//       offsets a stored XPath range selector (from the document) points to now.
//   createPainter(document, {mode, styles}?) -> painter
//       Draws highlights without changing the page's text. mode "highlights"
//       uses the CSS Custom Highlight API (no DOM mutation), the default where
//       the browser has it; "marks" wraps the text in <mark> elements.
//       styles: false leaves the colour rules to the page's own stylesheet.
//       painter.mode                  the mode in use
//       painter.paint(id, ranges, color)  draw (or redraw) highlight `id`:
//                                     a Range, or several (rangesAt)
//       painter.unpaint(id)           remove it
//       painter.clear()               remove all
//       painter.ids()                 the ids drawn
//       painter.rangeOf(id)           its (first) Range (marks mode: around its marks)
//       painter.hitTest(x, y)         id of the (innermost) highlight under the
//                                     viewport point, or null
//       painter.focus(id)             scroll it to the middle of the viewport

export const COLORS = {
  yellow: "rgba(250, 204, 21, 0.45)",
  green: "rgba(74, 222, 128, 0.45)",
  blue: "rgba(96, 165, 250, 0.45)",
  pink: "rgba(244, 114, 182, 0.45)",
  purple: "rgba(192, 132, 252, 0.45)",
  orange: "rgba(251, 146, 60, 0.5)",
};

const SKIPPED = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE"]);
// Elements that start a new line of the page's text (the block boundaries a
// browser's find and text fragments do not match across).
const LINE_BREAKING = new Set(["ADDRESS", "ARTICLE", "ASIDE", "BLOCKQUOTE", "BODY", "BR", "CAPTION", "CENTER", "DD",
  "DETAILS", "DIALOG", "DIV", "DL", "DT", "FIELDSET", "FIGCAPTION", "FIGURE", "FOOTER", "FORM", "H1", "H2", "H3", "H4",
  "H5", "H6", "HEADER", "HGROUP", "HR", "LEGEND", "LI", "MAIN", "MENU", "NAV", "OL", "OPTION", "P", "PRE", "SEARCH",
  "SECTION", "SUMMARY", "TABLE", "TBODY", "TD", "TFOOT", "TH", "THEAD", "TR", "UL"]);

const LINE_BREAK_CHAR = /[\n\r\u2028\u2029]/;
const LEADING_BREAK = /^\s*[\n\r\u2028\u2029]/;
const TRAILING_BREAK = /[\n\r\u2028\u2029]\s*$/;
const NON_SPACE = /\S/;

// The children of `node` in the composed (flat) tree: an open shadow root's
// content instead of the host's own children, a slot's assigned nodes (or its
// fallback content).
function composedChildren(node, shadowRoots) {
  if (node.shadowRoot) {
    shadowRoots?.push(node.shadowRoot);
    return node.shadowRoot.childNodes;
  }
  if (node.nodeName === "SLOT" && node.assignedNodes) {
    const assigned = node.assignedNodes();
    if (assigned.length) return assigned;
  }
  return node.childNodes;
}

export function textOf(root, skip = () => false) {
  const nodes = [];
  const starts = [];
  const parts = [];
  const shadowRoots = [];
  let length = 0;
  let lineBreak = false; // a block boundary since the last text
  let onNewLine = true; // the text so far ends with a line break (and white space)
  const visit = (node) => {
    if (node.nodeType === 3) {
      const { data } = node;
      if (data.length) {
        // The page's own white space may break the line already (HTML source
        // between blocks): then no "\n" is added, and text stays as it was.
        if (lineBreak && !onNewLine && !LEADING_BREAK.test(data)) {
          parts.push("\n"); // between two blocks: maps to no DOM character
          length++;
        }
        lineBreak = false;
        onNewLine = NON_SPACE.test(data) ? TRAILING_BREAK.test(data) : onNewLine || LINE_BREAK_CHAR.test(data);
      }
      nodes.push(node);
      starts.push(length);
      parts.push(node.data);
      length += node.data.length;
      return;
    }
    const element = node.nodeType === 1;
    if (element && (SKIPPED.has(node.nodeName.toUpperCase()) || node.hasAttribute("data-margins-ui") || skip(node))) return;
    const breaks = element && LINE_BREAKING.has(node.nodeName.toUpperCase());
    if (breaks) lineBreak = true;
    for (const child of composedChildren(node, shadowRoots)) visit(child);
    if (breaks) lineBreak = true;
  };
  for (const child of composedChildren(root, shadowRoots)) visit(child);
  return { root, text: parts.join(""), nodes, starts, shadowRoots };
}

export function observeText(observer, map) {
  for (const tree of [map.root, ...map.shadowRoots]) observer.observe(tree, { childList: true, subtree: true, characterData: true });
}

export function openShadowRoots(root) {
  const found = [];
  const visit = (node) => {
    if (node.nodeType !== 1 && node.nodeType !== 11 && node.nodeType !== 9) return;
    for (const child of composedChildren(node, found)) visit(child);
  };
  visit(root);
  return found;
}

// The selection's range, also when it is inside open shadow roots (there
// getRangeAt() answers with the host, where Selection.getComposedRanges
// is missing): a live Range when both ends are in one tree, else a StaticRange
// (offsetsOf reads either). null for no selection.
export function selectedRange(selection, root) {
  if (!selection || !selection.rangeCount) return null;
  const roots = typeof selection.getComposedRanges === "function" ? openShadowRoots(root) : [];
  if (!roots.length) return selection.getRangeAt(0).cloneRange();
  const [composed] = selection.getComposedRanges({ shadowRoots: roots });
  if (!composed) return null;
  const { startContainer, startOffset, endContainer, endOffset } = composed;
  if (startContainer.getRootNode() !== endContainer.getRootNode()) return composed;
  const range = (root.ownerDocument ?? root).createRange();
  range.setStart(startContainer, startOffset);
  range.setEnd(endContainer, endOffset);
  return range;
}

// Index of the text node holding offset (for an end offset, the node it ends in).
function nodeIndexAt(map, offset, isEnd) {
  let low = 0;
  let high = map.nodes.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    const start = map.starts[mid];
    if (start < offset || (!isEnd && start === offset)) low = mid; else high = mid - 1;
  }
  return low;
}

export function rangeAt(map, start, end) {
  const document = map.root.ownerDocument ?? map.root;
  const range = document.createRange();
  if (!map.nodes.length) return range;
  const first = nodeIndexAt(map, start, false);
  let last = nodeIndexAt(map, end, true);
  // A live Range holds one tree: a span from a shadow tree out into another
  // ends where its first tree's text ends (less drawn, never other words).
  const tree = map.nodes[first].getRootNode();
  const clipped = map.nodes[last].getRootNode() !== tree;
  while (last > first && map.nodes[last].getRootNode() !== tree) last--;
  const endOffset = clipped ? map.nodes[last].data.length : Math.max(0, end - map.starts[last]);
  range.setStart(map.nodes[first], Math.min(start - map.starts[first], map.nodes[first].data.length));
  range.setEnd(map.nodes[last], Math.min(endOffset, map.nodes[last].data.length));
  return range;
}

export function rangesAt(map, start, end) {
  if (!map.nodes.length) return [rangeAt(map, start, end)];
  const first = nodeIndexAt(map, start, false);
  const last = nodeIndexAt(map, end, true);
  const ranges = [];
  for (let from = first; from <= last;) {
    const tree = map.nodes[from].getRootNode();
    let to = from;
    while (to < last && map.nodes[to + 1].getRootNode() === tree) to++;
    const [runStart, runEnd] = [Math.max(start, map.starts[from]), Math.min(end, map.starts[to] + map.nodes[to].data.length)];
    if (runEnd > runStart || !ranges.length) ranges.push(rangeAt(map, runStart, runEnd));
    from = to + 1;
  }
  return ranges;
}

// A Range or StaticRange: its start is the first of map's text at or after
// its start point, its end the last before its end point (each point in its
// own tree, so a StaticRange across shadow boundaries works too).
export function offsetsOf(map, range) {
  const document = map.root.ownerDocument ?? map.root;
  const { startContainer, startOffset, endContainer, endOffset } = range;
  const after = document.createRange();
  const startTree = startContainer.getRootNode();
  after.setStart(startContainer, startOffset);
  after.setEnd(startTree, startTree.childNodes.length);
  const before = document.createRange();
  before.setStart(endContainer.getRootNode(), 0);
  before.setEnd(endContainer, endOffset);
  let start = null;
  for (let i = 0; i < map.nodes.length && start === null; i++) {
    const node = map.nodes[i];
    if (after.intersectsNode(node)) start = map.starts[i] + (node === startContainer ? startOffset : 0);
  }
  let end = null;
  for (let i = map.nodes.length - 1; i >= 0 && end === null; i--) {
    const node = map.nodes[i];
    if (before.intersectsNode(node)) end = map.starts[i] + (node === endContainer ? endOffset : node.data.length);
  }
  return start === null || end === null || end <= start ? null : { start, end };
}

const SHADOW_STEP = "#shadow-root";

// In an open shadow root the path goes on through its host: ".../div[2]/#shadow-root/p[1]".
function xpathOf(node, root) {
  const steps = [];
  for (let element = node; element && element !== root; element = element.parentNode) {
    if (element.nodeType === 11 && element.host) {
      steps.unshift(SHADOW_STEP);
      element = element.host;
      if (element === root) break;
    }
    let index = 1;
    for (let sibling = element.previousElementSibling; sibling; sibling = sibling.previousElementSibling) {
      if (sibling.nodeName === element.nodeName) index++;
    }
    steps.unshift(`${element.nodeName.toLowerCase()}[${index}]`);
  }
  return "/" + steps.join("/");
}

// A Range boundary as (element, offset in the element's text).
function elementPoint(container, offset) {
  if (container.nodeType !== 3) return { element: container, offset: 0 };
  const element = container.parentElement;
  const before = element.ownerDocument.createRange();
  before.setStart(element, 0);
  before.setEnd(container, offset);
  return { element, offset: before.toString().length };
}

export function rangeSelector(range, root) {
  const start = elementPoint(range.startContainer, range.startOffset);
  const end = elementPoint(range.endContainer, range.endOffset);
  return {
    startContainer: xpathOf(start.element, root),
    startOffset: start.offset,
    endContainer: xpathOf(end.element, root),
    endOffset: end.offset,
  };
}

// --- structure -------------------------------------------------------------------

const BLOCKS = new Set(["address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "div", "dl",
  "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "li", "main", "nav", "ol",
  "p", "pre", "section", "summary", "table", "td", "th", "ul"]);
// Blocks that set their text apart from the article's flow: a copy of a
// paragraph in one of these is a pull quote, a caption, a teaser.
const SET_APART = new Set(["aside", "blockquote", "caption", "figure", "footer", "header", "nav", "table"]);

// The kind of block of the innermost element of `names` (outermost first).
function blockKind(names) {
  let inner = -1;
  for (let i = names.length - 1; i >= 0 && inner === -1; i--) if (BLOCKS.has(names[i])) inner = i;
  if (inner === -1) return null;
  for (let i = inner - 1; i >= 0; i--) if (SET_APART.has(names[i])) return `${names[inner]}@${names[i]}`;
  return names[inner];
}

function namesOf(element) {
  const names = [];
  for (let e = element; e && e.nodeType === 1; e = e.parentNode) names.push(e.nodeName.toLowerCase());
  return names.reverse();
}

const HTML = "http://www.w3.org/1999/xhtml";

// The element an XPath of xpathOf() names, from `root`, or null.
function elementAt(root, path) {
  let element = root;
  for (const step of path.split("/").filter(Boolean)) {
    if (step === SHADOW_STEP) {
      element = element.shadowRoot;
      if (!element) return null;
      continue;
    }
    const [, name, n] = /^([^[]+)\[(\d+)\]$/.exec(step) ?? [];
    if (!name) return null;
    let count = 0;
    let found = null;
    const wanted = Number(n);
    // An HTML element's localName is lowercase already (not SVG's camelCase ones).
    const named = (child) => (child.namespaceURI === HTML ? child.localName === name : child.nodeName.toLowerCase() === name);
    for (let child = element.firstElementChild; child && !found; child = child.nextElementSibling) {
      if (named(child) && ++count === wanted) found = child;
    }
    if (!found) return null;
    element = found;
  }
  return element;
}

export function structureOf(map) {
  const document = map.root.ownerDocument ?? map.root;
  const kinds = new WeakMap(); // element -> its kind
  let indexOfNode = null; // text node -> its index in map.nodes
  const kindOf = (element) => {
    if (!kinds.has(element)) kinds.set(element, blockKind(namesOf(element)));
    return kinds.get(element);
  };
  const elements = new Map(); // XPath -> the element it names now (a range's ends share theirs)
  // (element, offset in its text) -> offset in map.text
  const offsetAt = (path, offset) => {
    if (path && !elements.has(path)) elements.set(path, elementAt(document, path));
    const element = path && elements.get(path);
    if (!element || !Number.isInteger(offset)) return null;
    indexOfNode ??= new Map(map.nodes.map((node, i) => [node, i]));
    const walker = document.createTreeWalker(element, 0x4);
    let before = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const i = indexOfNode.get(node);
      if (i === undefined) continue;
      if (offset - before <= node.data.length) return map.starts[i] + offset - before;
      before += node.data.length;
    }
    return null;
  };
  return {
    blockAt(offset) {
      if (!map.nodes.length) return null;
      const node = map.nodes[nodeIndexAt(map, offset, false)];
      return node.parentElement ? kindOf(node.parentElement) : null;
    },
    storedBlock: (range) => (typeof range?.startContainer === "string"
      ? blockKind(range.startContainer.split("/").filter(Boolean).map((step) => step.replace(/\[\d+\]$/, "")))
      : null),
    resolve(range) {
      const start = offsetAt(range?.startContainer, range?.startOffset);
      const end = offsetAt(range?.endContainer, range?.endOffset);
      return start !== null && end !== null && end > start ? { start, end } : null;
    },
  };
}

// --- painting --------------------------------------------------------------------

function colorRules(mode) {
  return Object.entries(COLORS).map(([name, color]) => (mode === "highlights"
    ? `::highlight(margins-${name}) { background-color: ${color}; }`
    : `mark.margins-${name} { background-color: ${color}; color: inherit; padding: 0; }`)).join("\n");
}

function installStyles(document, mode) {
  if (document.querySelector("style[data-margins-ui]")) return;
  const style = document.createElement("style");
  style.setAttribute("data-margins-ui", "");
  style.textContent = colorRules(mode);
  (document.head ?? document.documentElement).append(style);
}

// The document's rules do not reach into a shadow tree: a highlight drawn in
// one brings the colour rules along, as an adopted style sheet (no element added).
// The shadow roots drawn in are kept (in `trees`) for hit tests.
function shadowStyler(document, mode, trees) {
  let sheet = null;
  return (range) => {
    const tree = range.startContainer.getRootNode();
    if (tree.nodeType !== 11 || trees.has(tree)) return;
    trees.add(tree);
    if (!tree.adoptedStyleSheets) return;
    if (!sheet) {
      sheet = new document.defaultView.CSSStyleSheet();
      sheet.replaceSync(colorRules(mode));
    }
    tree.adoptedStyleSheets = [...tree.adoptedStyleSheets, sheet];
  };
}

// `styles: false` leaves the colour rules to the host page's own stylesheet
// (the web view's Content-Security-Policy refuses inline <style>).
export function createPainter(document, { mode, styles = true } = {}) {
  const window = document.defaultView;
  const canUseHighlights = Boolean(window?.CSS?.highlights && window.Highlight);
  const chosen = mode ?? (canUseHighlights ? "highlights" : "marks");
  if (styles) installStyles(document, chosen);
  const trees = new Set();
  const styler = shadowStyler(document, chosen, trees);
  const style = (range) => (styles ? styler(range) : trees.add(range.startContainer.getRootNode()));
  return chosen === "highlights" ? highlightPainter(document, style, trees) : markPainter(document, style);
}

// `trees`: the shadow roots the caret may be found in (else it stops at their hosts).
function caretAt(document, x, y, trees) {
  if (document.caretPositionFromPoint) {
    const shadowRoots = [...trees].filter((tree) => tree.nodeType === 11);
    const position = document.caretPositionFromPoint(x, y, shadowRoots.length ? { shadowRoots } : undefined);
    return position && { node: position.offsetNode, offset: position.offset };
  }
  const range = document.caretRangeFromPoint?.(x, y);
  return range && { node: range.startContainer, offset: range.startOffset };
}

// The innermost element at the viewport point, inside open shadow roots too
// (the document's elementFromPoint stops at their hosts).
function elementAtPoint(document, x, y) {
  let element = document.elementFromPoint(x, y);
  for (let inner = element?.shadowRoot?.elementFromPoint(x, y); inner && inner !== element;
    inner = element.shadowRoot?.elementFromPoint(x, y)) element = inner;
  return element;
}

function focusRange(range, window) {
  const rect = range.getBoundingClientRect();
  window.scrollBy({ top: rect.top - window.innerHeight / 2 + rect.height / 2, behavior: "instant" });
}

function highlightPainter(document, style, trees) {
  const window = document.defaultView;
  const drawn = new Map(); // id -> {ranges, color}
  const registry = window.CSS.highlights;

  const highlightFor = (color) => {
    const name = `margins-${color}`;
    let highlight = registry.get(name);
    if (!highlight) {
      highlight = new window.Highlight();
      registry.set(name, highlight);
    }
    return highlight;
  };

  const painter = {
    mode: "highlights",
    paint(id, ranges, color) {
      painter.unpaint(id);
      const own = [ranges].flat().map((range) => range.cloneRange());
      for (const range of own) {
        style(range);
        highlightFor(color).add(range);
      }
      drawn.set(id, { ranges: own, color });
    },
    unpaint(id) {
      const entry = drawn.get(id);
      if (!entry) return;
      for (const range of entry.ranges) highlightFor(entry.color).delete(range);
      drawn.delete(id);
    },
    clear() {
      for (const id of [...drawn.keys()]) painter.unpaint(id);
    },
    ids: () => [...drawn.keys()],
    rangeOf: (id) => drawn.get(id)?.ranges[0] ?? null,
    hitTest(x, y) {
      const caret = caretAt(document, x, y, trees);
      if (!caret) return null;
      let best = null;
      for (const [id, { ranges }] of drawn) {
        const range = ranges.find((each) => each.isPointInRange(caret.node, caret.offset)
          // A caret just past the end is not on the highlight.
          && !(caret.node === each.endContainer && caret.offset === each.endOffset));
        if (!range) continue;
        const length = ranges.reduce((sum, each) => sum + each.toString().length, 0);
        if (!best || length < best.length) best = { id, length };
      }
      return best?.id ?? null;
    },
    focus(id) {
      const range = painter.rangeOf(id);
      if (range) focusRange(range, window);
    },
  };
  return painter;
}

function markPainter(document, style) {
  const window = document.defaultView;
  const drawn = new Map(); // id -> [mark elements]

  // The pieces are all worked out before the first split: wrapping moves the
  // live range's boundaries.
  const wrap = (range, id, color) => {
    const container = range.commonAncestorContainer;
    const pieces = textOf(container.nodeType === 3 ? container.parentNode : container).nodes
      .filter((node) => range.intersectsNode(node))
      .map((node) => ({
        node,
        from: node === range.startContainer ? range.startOffset : 0,
        to: node === range.endContainer ? range.endOffset : node.data.length,
      }))
      .filter(({ from, to }) => to > from);
    return pieces.map(({ node, from, to }) => {
      if (to < node.data.length) node.splitText(to);
      const target = from > 0 ? node.splitText(from) : node;
      const mark = document.createElement("mark");
      mark.className = `margins-${color}`;
      mark.dataset.marginsId = id;
      target.replaceWith(mark);
      mark.append(target);
      return mark;
    });
  };

  const painter = {
    mode: "marks",
    paint(id, ranges, color) {
      painter.unpaint(id);
      const marks = [];
      for (const range of [ranges].flat()) {
        style(range);
        marks.push(...wrap(range, id, color));
      }
      drawn.set(id, marks);
    },
    unpaint(id) {
      for (const mark of drawn.get(id) ?? []) {
        const parent = mark.parentNode;
        if (!parent) continue;
        mark.replaceWith(...mark.childNodes);
        parent.normalize();
      }
      drawn.delete(id);
    },
    clear() {
      for (const id of [...drawn.keys()]) painter.unpaint(id);
    },
    ids: () => [...drawn.keys()],
    rangeOf(id) {
      const marks = drawn.get(id)?.filter((mark, _, all) => mark.getRootNode() === all[0].getRootNode());
      if (!marks?.length) return null; // (a Range holds the first tree's marks only)
      const range = document.createRange();
      range.setStartBefore(marks[0]);
      range.setEndAfter(marks[marks.length - 1]);
      return range;
    },
    hitTest(x, y) {
      return elementAtPoint(document, x, y)?.closest("mark[data-margins-id]")?.dataset.marginsId ?? null;
    },
    focus(id) {
      const range = painter.rangeOf(id);
      if (range) focusRange(range, window);
    },
  };
  return painter;
}
