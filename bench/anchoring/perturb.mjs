// Runs in Chromium (bundled by run.py): on each page of the extraction
// fixtures, quotes are chosen at random in paragraphs, and for each kind of
// change a changed copy of the page is made (all its quotes' paragraphs
// changed that way at once); every quote is anchored again in the changed copy
// by Margins (locate() with the page's structure) and by the Hypothesis way,
// and counted right, wrong or orphan.
import { describe, locate, THRESHOLD } from "../../extension/src/shared/anchoring.js";
import { offsetsOf, rangeAt, rangeSelector, structureOf, textOf } from "../../extension/src/shared/dom-text.js";
import { baselineAnchor, random } from "./bench.mjs";

const QUOTE_BLOCKS = "p, li";
const MIN_BLOCK = 80; // characters of text a quote's paragraph has at least
// Candidates scored this near the threshold are kept as samples (--verbose), right or wrong.
const NEAR_MISS = 0.2;

// The kinds of change, each applied to one quote's paragraph (its `block`) in
// the changed copy; `quote` has the in-block offsets {start, end} of the quote,
// which a change inside the paragraph moves. Returns false when the change is
// impossible there. Kinds whose `gone` is true delete the quote's text: an
// orphan is right, any placement wrong.
const KINDS = {
  "insert before": { change: ({ block, doc, filler }) => insertBefore(block, paragraph(doc, filler(200, 600))) },
  "delete before": { change: ({ block, others }) => removePrevious(block, others) },
  "context word": { change: contextWord },
  "re-wrap markup": { change: rewrap },
  "move block": { change: moveBlock },
  "edit quote word": { change: editQuoteWord },
  "delete quote's paragraph": { gone: true, change: ({ block }) => (block.remove(), true) },
  "look-alike 5%": { gone: true, change: (c) => lookAlike(c, 0.05) },
  "look-alike 10%": { gone: true, change: (c) => lookAlike(c, 0.1) },
  "look-alike 15%": { gone: true, change: (c) => lookAlike(c, 0.15) },
  "look-alike 30%": { gone: true, change: (c) => lookAlike(c, 0.3) },
  "pull quote before": { change: ({ block, doc }) => insertBefore(block, pullQuote(doc, block)) },
  "pull quote after": { change: ({ block, doc }) => (block.after(pullQuote(doc, block)), true) },
  "repeated caption": { change: repeatedCaption },
};

function paragraph(doc, text) {
  const p = doc.createElement("p");
  p.textContent = text;
  return p;
}

function insertBefore(block, node) {
  block.before(node);
  return true;
}

function removePrevious(block, others) {
  const all = [...block.ownerDocument.body.querySelectorAll(QUOTE_BLOCKS)];
  for (let i = all.indexOf(block) - 1; i >= 0; i--) {
    const candidate = all[i];
    if (others.has(candidate) || candidate.contains(block) || [...others].some((o) => candidate.contains(o))) continue;
    candidate.remove();
    return true;
  }
  return false;
}

const pullQuote = (doc, block) => {
  const aside = doc.createElement("aside");
  aside.className = "pullquote";
  aside.append(paragraph(doc, block.textContent));
  return aside;
};

// A figure whose caption repeats the quote's sentence (the quote and up to
// 60 characters on each side), just before the paragraph.
function repeatedCaption({ block, doc, quote }) {
  const text = textOf(block).text;
  const figure = doc.createElement("figure");
  const caption = doc.createElement("figcaption");
  caption.textContent = text.slice(Math.max(0, quote.start - 60), quote.end + 60);
  figure.append(caption);
  block.before(figure);
  return true;
}

// A word of the page text, within [from, to) of the block's text, replaced by
// another word (in its text node); returns the change in length or null.
function replaceWordIn(block, from, to, word, next) {
  const map = textOf(block);
  const words = [...map.text.slice(from, to).matchAll(/[A-Za-z]{3,}/g)]
    .map((m) => ({ start: from + m.index, end: from + m.index + m[0].length, text: m[0] }))
    .filter((w) => w.start > from && w.end < to); // whole words only
  if (!words.length) return null;
  const chosen = words[Math.floor(next() * words.length)];
  const range = rangeAt(map, chosen.start, chosen.end);
  if (range.startContainer !== range.endContainer) return null;
  let replacement = word();
  while (replacement.toLowerCase() === chosen.text.toLowerCase()) replacement = word();
  range.startContainer.replaceData(range.startOffset, chosen.end - chosen.start, replacement);
  return { at: chosen.start, delta: replacement.length - chosen.text.length };
}

function contextWord({ block, quote, word, next }) {
  const text = textOf(block).text;
  const before = next() < 0.5 && quote.start >= 12;
  if (before) {
    const change = replaceWordIn(block, Math.max(0, quote.start - 32), quote.start, word, next);
    if (!change) return false;
    quote.start += change.delta;
    quote.end += change.delta;
    return true;
  }
  if (text.length - quote.end < 12) return false;
  return Boolean(replaceWordIn(block, quote.end, Math.min(text.length, quote.end + 32), word, next));
}

function editQuoteWord({ block, quote, word, next }) {
  const change = replaceWordIn(block, quote.start - 1, quote.end + 1, word, next);
  if (!change) return false;
  quote.end += change.delta;
  return true;
}

// The paragraph in a new <div>, on lines of its own, and the second half of
// its longest text node in a <span>: the same text, other markup.
function rewrap({ block, doc }) {
  const wrapper = doc.createElement("div");
  wrapper.className = "wrapped";
  block.replaceWith(wrapper);
  wrapper.append("\n  ", block, "\n");
  const longest = textOf(block).nodes.reduce((a, b) => (b.data.length > (a?.data.length ?? 0) ? b : a), null);
  const cut = longest ? longest.data.indexOf(" ", Math.floor(longest.data.length / 2)) : -1;
  if (cut > 0) {
    const tail = longest.splitText(cut);
    const span = doc.createElement("span");
    tail.replaceWith(span);
    span.append(tail);
  }
  return true;
}

// The paragraph moved before or after another one of the same kind (a
// paragraph of the article, not into a sidebar) at most 2,000 characters away.
function moveBlock({ block, next, others }) {
  const doc = block.ownerDocument;
  const map = textOf(doc.body);
  const structure = structureOf(map);
  const offsetOf = (element) => offsetsOf(map, rangeOfElement(element))?.start ?? null;
  const here = offsetOf(block);
  const kind = structure.blockAt(here);
  const targets = [...doc.body.querySelectorAll(QUOTE_BLOCKS)].filter((other) => {
    if (other === block || other.contains(block) || block.contains(other) || others.has(other)) return false;
    if (other.nodeName !== block.nodeName || structure.blockAt(offsetOf(other) ?? 0) !== kind) return false;
    const at = offsetOf(other);
    return at !== null && Math.abs(at - here) <= 2000 && Math.abs(at - here) > 100;
  });
  if (!targets.length) return false;
  const target = targets[Math.floor(next() * targets.length)];
  if (next() < 0.5) target.before(block); else target.after(block);
  return true;
}

function rangeOfElement(element) {
  const range = element.ownerDocument.createRange();
  range.selectNodeContents(element);
  return range;
}

// The quote's paragraph deleted, and a sentence like the quote (`share` of
// its letters changed) added at the end of another paragraph, not one next
// to it (there, with the same text after it, it would be the quote edited).
function lookAlike({ block, quote, next, others }, share) {
  const text = textOf(block).text.slice(quote.start, quote.end);
  const chars = [...text];
  const letters = chars.map((c, i) => (/\p{L}/u.test(c) ? i : -1)).filter((i) => i >= 0);
  const alphabet = [...new Set(letters.map((i) => chars[i].toLowerCase()))]; // the quote's own script
  const count = Math.max(1, Math.round(text.length * share));
  for (let k = 0; k < count && letters.length && alphabet.length > 1; k++) {
    const i = letters.splice(Math.floor(next() * letters.length), 1)[0];
    let letter;
    do letter = alphabet[Math.floor(next() * alphabet.length)]; while (letter === chars[i].toLowerCase());
    chars[i] = letter;
  }
  // Next to it is no other paragraph or list item with text between them (the quote's may be either).
  const blocks = [...block.ownerDocument.body.querySelectorAll(QUOTE_BLOCKS)].filter((b) => b === block || /\S/.test(b.textContent));
  const here = blocks.indexOf(block);
  const hosts = blocks.filter((p, i) => p.nodeName === "P" && Math.abs(i - here) > 1 && !others.has(p) && !p.contains(block)
    && textOf(p).text.length >= MIN_BLOCK);
  if (!hosts.length) return false;
  const host = hosts[Math.floor(next() * hosts.length)];
  block.remove();
  host.append(" " + chars.join("") + " ");
  return true;
}

// Quotes of 20 to 150 characters from word start to word end in a paragraph.
function pickQuote(blockText, next) {
  for (let attempt = 0; attempt < 20; attempt++) {
    let start = Math.floor(next() * Math.max(1, blockText.length - 20));
    while (start > 0 && /\S/.test(blockText[start - 1])) start--;
    while (start < blockText.length && /\s/.test(blockText[start])) start++;
    let end = Math.min(blockText.length, start + 20 + Math.floor(next() * 130));
    while (end < blockText.length && /\S/.test(blockText[end])) end++;
    while (end > start && /\s/.test(blockText[end - 1])) end--;
    if (blockText.slice(start, end).replace(/\s+/g, " ").length >= 20) return { start, end };
  }
  return null;
}

// The page's paragraphs that hold a quote: far enough apart that one quote's
// change never touches another's paragraph.
function chooseBlocks(doc, count, next) {
  const all = [...doc.body.querySelectorAll(QUOTE_BLOCKS)];
  const usable = all.map((element, i) => ({ element, i }))
    .filter(({ element }) => !element.querySelector(QUOTE_BLOCKS) && textOf(element).text.trim().length >= MIN_BLOCK);
  const chosen = [];
  for (let tries = 0; chosen.length < count && tries < 20 * count && usable.length; tries++) {
    const pick = usable[Math.floor(next() * usable.length)];
    if (chosen.some((c) => Math.abs(c.i - pick.i) < 3)) continue;
    chosen.push(pick);
  }
  return chosen.map(({ element }) => element);
}

// right: placed on at least 90% of the quote's text now, and not much more;
// wrong: placed anywhere else (or cut short); orphan: not placed.
function verdict(found, truth) {
  if (!found) return "orphan";
  if (!truth) return "wrong";
  const overlap = Math.min(found.end, truth.end) - Math.max(found.start, truth.start);
  const length = truth.end - truth.start;
  return overlap >= 0.9 * length && found.end - found.start <= 1.1 * length + 2 ? "right" : "wrong";
}

function pathOf(element) {
  return [...element.ownerDocument.body.querySelectorAll("*")].indexOf(element);
}

function byPath(doc, index) {
  return doc.body.querySelectorAll("*")[index];
}

const tallies = () => ({ right: 0, wrong: 0, orphan: 0, ms: 0 });

function fastest(tally, run, before = () => {}) {
  let best = Infinity;
  let result;
  for (let i = 0; i < 3; i++) {
    before();
    const started = performance.now();
    result = run();
    best = Math.min(best, performance.now() - started);
  }
  tally.ms += best;
  return result;
}

globalThis.runPerturbation = (pages, { quotesPerPage = 12, seed = 15 } = {}) => {
  const next = random(seed);
  const kinds = Object.fromEntries(Object.keys(KINDS).map((kind) => [kind, { margins: tallies(), baseline: tallies(), quotes: 0 }]));
  const scores = []; // Margins' best candidate of every quote: {score, right}
  const samples = []; // Margins' wrong placements, lost quotes and near misses (--verbose prints them)
  const pool = pages.map((html) => new DOMParser().parseFromString(html, "text/html"));
  const fillerWords = pool.flatMap((doc) => textOf(doc.body).text.match(/[A-Za-z]{3,12}/g) ?? []).slice(0, 50000);
  const word = () => fillerWords[Math.floor(next() * fillerWords.length)];
  const filler = (min, max) => {
    const words = [];
    const length = min + Math.floor(next() * (max - min));
    while (words.join(" ").length < length) words.push(word());
    return words.join(" ") + ".";
  };
  let totalQuotes = 0;
  for (const doc of pool) {
    const map = textOf(doc.body);
    const quotes = [];
    for (const block of chooseBlocks(doc, quotesPerPage, next)) {
      const blockText = textOf(block).text;
      const span = pickQuote(blockText, next);
      if (!span) continue;
      const offsets = offsetsOf(map, rangeAt(textOf(block), span.start, span.end));
      // A quote whose words are on the page twice (a menu, a cookie notice
      // shown twice) has no one right place; the repeated-passage kinds make
      // copies on purpose.
      const exact = map.text.slice(offsets.start, offsets.end);
      if (map.text.indexOf(exact) !== map.text.lastIndexOf(exact)) continue;
      const selector = { ...describe(map.text, offsets.start, offsets.end), range: rangeSelector(rangeAt(map, offsets.start, offsets.end), doc) };
      quotes.push({ path: pathOf(block), span, selector });
    }
    totalQuotes += quotes.length;
    for (const [kind, { change, gone }] of Object.entries(KINDS)) {
      const copy = doc.cloneNode(true);
      const blocks = quotes.map((q) => byPath(copy, q.path));
      const others = new Set(blocks);
      const applied = quotes.map((q, i) => {
        const quote = { ...q.span };
        const context = { block: blocks[i], doc: copy, quote, next, word, filler, others: new Set([...others].filter((b) => b !== blocks[i])) };
        return change(context) ? { quote, block: blocks[i] } : null;
      });
      const changedMap = textOf(copy.body);
      const cases = [];
      applied.forEach((a, i) => {
        if (!a) return;
        const truth = gone ? null : offsetsOf(changedMap, rangeAt(textOf(a.block), a.quote.start, a.quote.end));
        cases.push({ selector: quotes[i].selector, truth });
      });
      const tally = kinds[kind];
      tally.quotes += cases.length;
      // The fastest of three runs of each (the machine is shared).
      const text = changedMap.text;
      let structure;
      // Each run starts cold: what anchoring.js keeps of the last text is
      // dropped by anchoring once in another text first.
      const margins = fastest(tally.margins, () => {
        structure = structureOf(changedMap);
        return cases.map(({ selector }) => locate(text, selector, { structure }));
      }, () => locate("another text", { quote: { exact: "text" } }));
      const baseline = fastest(tally.baseline, () => cases.map(({ selector }) => baselineAnchor(text, selector)));
      cases.forEach(({ truth }, i) => {
        tally.margins[verdict(margins[i].found, truth)]++;
        tally.baseline[verdict(baseline[i], truth)]++;
        const v = verdict(margins[i].found, truth);
        const shown = margins[i].found ?? margins[i].possible;
        const near = shown && Math.abs(shown.score - THRESHOLD) < NEAR_MISS;
        if ((v === "wrong" || (v === "orphan" && truth) || near) && samples.length < 400) {
          samples.push({ kind, verdict: v, candidate: shown && verdict(shown, truth), quote: cases[i].selector.quote.exact, truth: truth && text.slice(truth.start, truth.end),
            [margins[i].found ? "placed" : "possible"]: shown && text.slice(shown.start, shown.end),
            score: shown?.score, evidence: shown?.evidence, prefix: cases[i].selector.quote.prefix, suffix: cases[i].selector.quote.suffix,
            around: shown && [text.slice(Math.max(0, shown.start - 32), shown.start), text.slice(shown.end, shown.end + 32)] });
        }
        // An ambiguous match is not drawn at any threshold.
        if (shown) scores.push({ score: shown.ambiguous ? -1 : shown.score, right: verdict(shown, truth) === "right", kind });
      });
    }
  }
  return { pages: pages.length, quotes: totalQuotes, threshold: THRESHOLD, kinds, samples, scores: scores.map((s) => [Math.round(s.score * 1000) / 1000, s.right ? 1 : 0, s.kind]) };
};
