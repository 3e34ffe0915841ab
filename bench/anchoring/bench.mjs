// Runs in Chromium (bundled by run.py): re-anchors highlights on a long text
// with Margins' anchoring and with a Hypothesis-style baseline, and counts
// how many land on the right occurrence.
import approxSearch from "approx-string-match";
import { anchor, describe } from "../../extension/src/shared/anchoring.js";
import { textOf } from "../../extension/src/shared/dom-text.js";

// A small seeded generator, so every run picks the same quotes and edits.
export function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Quotes of 20 to 150 characters from word start to word end, as a reader
// selects them (the extension trims a selection's white space). The page has
// about 50,000 characters that are not white space, so some quotes overlap.
function pickSpans(text, count, next) {
  const spans = [];
  while (spans.length < count) {
    let start = Math.floor(next() * (text.length - 400));
    while (start < text.length && !/\s/.test(text[start])) start++;
    let end = start + 20 + Math.floor(next() * 130);
    while (end < text.length && !/\s/.test(text[end])) end++;
    while (start < end && /\s/.test(text[start])) start++;
    while (end > start && /\s/.test(text[end - 1])) end--;
    if (text.slice(start, end).replace(/\s+/g, " ").length >= 20) spans.push({ start, end });
  }
  return spans;
}

// A slight edit inside a quote: change, drop or add a character or two near its middle.
function editFor(span, next) {
  const at = span.start + Math.floor((span.end - span.start) * (0.3 + 0.4 * next()));
  const kind = Math.floor(next() * 3);
  if (kind === 0) return { at, remove: 2, insert: "zq" };
  if (kind === 1) return { at, remove: 1, insert: "" };
  return { at, remove: 0, insert: "s" };
}

// Hypothesis' way: every exact occurrence, or else approximate ones with up to
// min(256, length/2) errors, then the best by quote, context and position.
export function baselineAnchor(text, selector) {
  const { exact, prefix, suffix } = selector.quote;
  const hint = selector.position.start;
  let matches = [];
  for (let at = text.indexOf(exact); at !== -1; at = text.indexOf(exact, at + 1)) matches.push({ start: at, end: at + exact.length, errors: 0 });
  if (!matches.length) matches = approxSearch(text, exact, Math.min(256, Math.floor(exact.length / 2)));
  const contextScore = (wanted, actual) => {
    if (!wanted.length || !actual.length) return 0;
    const found = approxSearch(actual, wanted, Math.floor(wanted.length / 2));
    return found.length ? 1 - Math.min(...found.map((m) => m.errors)) / wanted.length : 0;
  };
  let best = null;
  for (const match of matches) {
    const score = (50 * (1 - match.errors / exact.length)
      + 20 * contextScore(prefix, text.slice(Math.max(0, match.start - prefix.length), match.start))
      + 20 * contextScore(suffix, text.slice(match.end, match.end + suffix.length))
      + 2 * (1 - Math.abs(match.start - hint) / text.length)) / 92;
    if (!best || score > best.score) best = { start: match.start, end: match.end, score };
  }
  return best;
}

function tally(results, expected) {
  let right = 0;
  let wrong = 0;
  let missing = 0;
  results.forEach((found, i) => {
    const want = expected[i];
    if (!found) missing++;
    else if (Math.min(found.end, want.end) - Math.max(found.start, want.start) >= (want.end - want.start) / 2) right++;
    else wrong++;
  });
  return { right, wrong, missing };
}

// The fastest of `runs` runs (the machine is shared; the minimum is the cost).
function timed(selectors, text, anchorFn, runs) {
  let best = Infinity;
  let results;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    results = selectors.map((selector) => anchorFn(text, selector));
    best = Math.min(best, performance.now() - started);
  }
  return { ms: best, results };
}

// The text of the page's body (DOMParser: nothing loads).
function bodyText(html) {
  return textOf(new DOMParser().parseFromString(html, "text/html").body).text;
}

globalThis.runBench = (html, options = {}) => runOnText(bodyText(html), options);

// Where offset x of the article is after the edits (each {at, remove, insert}).
function mapThrough(edits, x) {
  return edits.reduce((moved, edit) => (edit.at < x ? moved + edit.insert.length - edit.remove : moved), x);
}

// The article's text is repeated `copies` times (its body four times over);
// quotes come from anywhere in it; the edits are made in the article, so in
// every copy, and each quote's right place is the edited spot in its own copy.
export function runOnText(article, { copies = 4, count = 1000, editedShare = 0.1, seed = 7, withBaseline = true } = {}) {
  const next = random(seed);
  const text = article.repeat(copies);
  const spans = pickSpans(text, count, next);
  const selectors = spans.map((span) => describe(text, span.start, span.end));
  const edits = [];
  const edited = new Set();
  while (edited.size < Math.round(count * editedShare)) {
    const i = Math.floor(next() * count);
    const offset = spans[i].start % article.length;
    const edit = editFor({ start: offset, end: offset + spans[i].end - spans[i].start }, next);
    if (edited.has(i) || edit.at + edit.remove > article.length || edits.some((other) => Math.abs(other.at - edit.at) < 4)) continue;
    edited.add(i);
    edits.push(edit);
  }
  let changedArticle = article;
  for (const edit of [...edits].sort((a, b) => b.at - a.at)) {
    changedArticle = changedArticle.slice(0, edit.at) + edit.insert + changedArticle.slice(edit.at + edit.remove);
  }
  const changed = changedArticle.repeat(copies);
  const expected = spans.map(({ start, end }) => {
    const copy = Math.floor(start / article.length);
    const base = copy * changedArticle.length - copy * article.length;
    const local = (x) => mapThrough(edits, x - copy * article.length) + copy * article.length;
    return { start: local(start) + base, end: local(end) + base };
  });
  const margins = timed(selectors, changed, (t, s) => anchor(t, s), 5);
  const baseline = withBaseline ? timed(selectors, changed, baselineAnchor, 2) : { ms: NaN, results: [] };
  const occurrences = selectors.slice(0, 51).map((s) => changed.split(s.quote.exact).length - 1);
  return {
    textLength: changed.length,
    highlights: count,
    edited: edits.length,
    medianOccurrences: occurrences.sort((a, b) => a - b)[25],
    margins: { ms: margins.ms, ...tally(margins.results, expected) },
    baseline: { ms: baseline.ms, ...tally(baseline.results, expected) },
  };
}
