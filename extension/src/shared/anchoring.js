// Pure text anchoring: no DOM, no browser APIs. Loaded by the extension and,
// from /static/shared/anchoring.js, by the web view.
//
// A selector is what a highlight keeps to find its text again:
//   {quote: {exact, prefix, suffix}, position: {start, end}, range?}
// Offsets are UTF-16 code units into one string ("the text"), as in
// String.prototype.slice and DOM Range offsets.
//
// Exports
//   CONTEXT_LENGTH = 32          characters of prefix/suffix kept by describe()
//   THRESHOLD                    the least confidence that is drawn (see docs/extension.md)
//   describe(text, start, end, contextLength?) -> selector
//       The selector of text.slice(start, end).
//   locate(text, selector, options?) -> {found, possible}
//       found: {start, end, method, score, evidence} where the selector's text
//       is now (evidence: the pieces its score was made of),
//       if its confidence (score, 0..1) is at least THRESHOLD; else null (an
//       orphan), and possible is the best place found, with its lower score,
//       for the user to look at (or null when nothing resembles the quote);
//       possible.ambiguous is true when it is not drawn because the quote
//       stands intact in one place and edited in another, both convincing.
//       Candidates are the quote's exact occurrences (ignoring case, accents
//       and whitespace runs) and approximate ones (edit distance at most
//       options.maxErrorRate, default 0.25, of the quote) near the old position
//       and wherever a piece of the quote still occurs. Each is scored on quote
//       similarity, prefix and suffix similarity (edit distance, above what
//       unrelated text scores), nearness to the old position and, given
//       options.structure (dom-text.js's structureOf), whether the stored
//       range still resolves there and whether it is the same kind of block.
//       An approximate one that nothing but its words ties to the highlight
//       (no agreeing context, far from its old place, no range pointing at it)
//       has its score cut (evidence.uncorroborated): a possible match at most.
//       method: "position" (the old place, context intact) | "quote" (the
//       exact text) | "normalized" (equal but for case, accents, whitespace)
//       | "fuzzy" (approximate).
//   anchor(text, selector, options?) -> locate(...).found
//   isExact(found) -> boolean
//       Whether a placement is the quote's text (but for case, accents and
//       white space) with its context intact: shown as exact, not approximate.
//   textIndex(text) -> the normalized index of a text; built once per text
//       (the last one is kept) and shared by every quote anchored in it.
//   normalize(string) -> string
//       The comparison form: lowercase, no combining marks, every whitespace
//       run one space.

import { backDistances, editDistance, endDistances, startDistances } from "./edit-distance.js";

export const CONTEXT_LENGTH = 32;
export const THRESHOLD = 0.65;

const EXACT_CONTEXT = 0.95; // context support of a placement shown as exact
const RIVAL_MARGIN = 0.1; // a rival scoring this close to the best makes it ambiguous
const TYPO = 0.95; // an edited quote this similar is the quote with a typo fixed
const SURE = 0.9; // a candidate scoring this ends the search for better ones
const LONG_QUOTE = 512; // longer quotes are matched fuzzily by their two ends
const END_PIECE = 128; // length of those ends
const MOVED = 64; // an intact occurrence this near the old position, and sure, is taken
const NEAR_RATE = 0.5; // errors per quote character allowed at the old place
const NARROW = 32; // slack of the first approximate window, beyond the errors allowed
const WIDE = 256; // slack of the second
const LOCALITY = 100; // characters of distance that halve the position score
const MIN_CONTEXT = 4; // letters a side of the context needs to count
const CHANCE = 0.35; // context similarity of unrelated text (edit distance), scored as none
// The evidence and what each piece weighs. The score is the weighted mean of
// the pieces known: no position, no structure, no context at the text's edge
// are left out rather than guessed. The kind of block only counts against a
// candidate (most text is in paragraphs, so the same kind says little; an
// aside or a caption where a paragraph was says much); the stored range
// counts only where it still holds the quote (pages insert and drop elements
// all the time), for that place and against every other.
const WEIGHTS = { quote: 40, context: 40, position: 15, block: 30, range: 30 };
// An intact quote is evidence by itself, the more the longer it is: its
// score goes this share of the way to 1 (at SELF_EVIDENT characters or more).
const INTACT = 0.6;
const SELF_EVIDENT = 100;
// An approximate match is corroborated by context this similar (near its old
// place, position score NEAR: within 100 characters, one side; farther, all),
// or with no context to compare by standing near its old place;
// uncorroborated, its score is cut to UNCORROBORATED of it.
const AGREES = 0.6;
const NEAR = 0.5;
const UNCORROBORATED = 0.6;
const NOTHING = Object.freeze({ found: null, possible: null });

export function describe(text, start, end, contextLength = CONTEXT_LENGTH) {
  const prefixStart = safeStart(text, Math.max(0, start - contextLength));
  const suffixEnd = safeEnd(text, Math.min(text.length, end + contextLength));
  return {
    quote: {
      exact: text.slice(start, end),
      prefix: text.slice(prefixStart, start),
      suffix: text.slice(end, suffixEnd),
    },
    position: { start, end },
  };
}

export function anchor(text, selector, options = {}) {
  return locate(text, selector, options).found;
}

export function isExact(found) {
  return Boolean(found) && found.method !== "fuzzy" && (found.evidence?.context ?? 1) >= EXACT_CONTEXT;
}

export function locate(text, selector, options = {}) {
  const exact = selector?.quote?.exact ?? "";
  if (!exact || !exact.trim()) return NOTHING;
  // The exact text first: on a page that did not change much near the
  // quote that is all it takes, and no normalized index is needed.
  const raw = rawSpace(text);
  const asWas = queryOf(raw, selector, options);
  const quick = atOldPlace(raw, asWas);
  if (quick) return { found: quick, possible: null };
  let best = null;
  let runnerUp = null;
  for (const at of raw.occurrences(exact)) {
    const candidate = judge(raw, asWas, at, at + exact.length, 1);
    if (!best || candidate.score > best.score) [best, runnerUp] = [candidate, best];
    else runnerUp = better(runnerUp, candidate);
  }
  const settled = best && isSettled(raw, asWas, best, runnerUp, options);
  let rival = null;
  if (!settled) {
    const found = search(textIndex(text), selector, options, asWas);
    if (found) {
      rival = found.rival;
      best = better(best, found);
    }
  }
  if (!best) return NOTHING;
  const ambiguous = isAmbiguous(best, rival);
  const place = { start: best.start, end: best.end, score: best.score, evidence: best.evidence };
  place.method = methodOf(text, place, exact);
  if (place.method === "fuzzy") Object.assign(place, withoutEdgeSpace(text, place, exact));
  if (ambiguous) place.ambiguous = true;
  return place.score >= THRESHOLD && !ambiguous ? { found: place, possible: null } : { found: null, possible: place };
}

// Whether the best exact occurrence needs no further search: it is sure and
// near the old place, or it is drawn, its whole context is intact, no other
// occurrence comes close, its block is of the quote's kind, the stored range
// does not hold the quote elsewhere, and nothing like the quote stands at the
// old place (an edited copy there could beat it).
function isSettled(raw, query, best, runnerUp, options) {
  const { hint, quote } = query;
  const near = hint === null || Math.abs(best.start - hint) <= MOVED;
  if (best.score >= SURE && near && !(runnerUp && runnerUp.score >= best.score - RIVAL_MARGIN)) return true;
  if (best.score < THRESHOLD || !hasFullContext(raw.text, best.start, best.end, query)) return false;
  if (runnerUp && runnerUp.score >= best.score - RIVAL_MARGIN) return false;
  if (query.kind && query.structure.blockAt(best.start) !== query.kind) return false;
  if (query.resolved && (query.resolved.end <= best.start || query.resolved.start >= best.end)) return false;
  if (near) return true;
  const maxErrors = maxErrorsFor(quote.length, Math.min(0.5, options.maxErrorRate ?? 0.25));
  const from = Math.max(0, hint - maxErrors - NARROW);
  return bestEnds(raw.text, quote, maxErrors, from, hint + quote.length + maxErrors + NARROW).length === 0;
}

// The quote intact in one place and edited in another, both convincing:
// which one the user meant cannot be told, so neither is drawn. A quote
// with a letter or two changed at its old place is that quote edited; with
// a word changed, it may as well be a sentence like it (a list's items, a
// caption's variants) while the quote itself moved.
function isAmbiguous(best, rival) {
  if (!rival || rival.score < THRESHOLD || !(rival.end <= best.start || rival.start >= best.end)) return false;
  if (best.similarity < 1) return best.similarity < TYPO && rival.score >= best.score - RIVAL_MARGIN;
  return rival.score >= best.score - RIVAL_MARGIN;
}

// The best occurrence in the normalized text, in the original's offsets:
// exact ones anywhere and approximate ones, near the old position and
// wherever a piece of the quote occurs.
function search(index, selector, options, known) {
  const query = queryOf(index, selector, options, known);
  if (!query.quote.trim()) return null;
  const rate = Math.min(0.5, options.maxErrorRate ?? 0.25);
  const long = query.quote.length > LONG_QUOTE;
  // The quote edited where it was may beat the same words intact elsewhere.
  let bestEdited = long ? null : fuzzyFind(index, query, rate, "narrow");
  let bestIntact = null;
  for (const at of index.occurrences(query.quote)) bestIntact = better(bestIntact, judge(index, query, at, at + query.quote.length, 1));
  if (bestEdited?.similarity === 1) [bestIntact, bestEdited] = [better(bestIntact, bestEdited), null];
  // An intact occurrence that is drawn is not searched past: an approximate
  // one could only beat it by its context, and one at the old place was tried.
  const intact = bestIntact && bestIntact.score >= THRESHOLD;
  let best = better(bestIntact, bestEdited);
  if (!intact && (!best || best.score < SURE)) best = better(best, long ? fuzzyByEnds(index, query, rate) : fuzzyFind(index, query, rate));
  if (!best) return null;
  // Edges matter for what is drawn; a possible match far below is shown as found.
  const ROUGH = 0.15;
  if (best.similarity < 1 && resemblance(best) >= THRESHOLD - ROUGH) best = atWordEdges(index, query, best, selector.quote);
  // The best of the other sort (intact against edited) is the winner's rival.
  const rival = best.similarity < 1 ? bestIntact : bestEdited;
  return { ...index.toOriginal(best), similarity: best.similarity, score: best.score, evidence: best.evidence,
    rival: rival && { ...index.toOriginal(rival), score: rival.score } };
}

// An approximate match of a quote that began at a word's start begins at a
// word's start, and one that ended at a word's end ends at one: where its
// first or last word was replaced, the edges the edit distance chose are
// moved to the nearby word edges (for a quote that starts or ends with
// punctuation, the places of that character) that score best with the context.
const WORD = /[\p{L}\p{N}]/u;
const EDGE_REACH = 12;

function atWordEdges(index, query, best, { exact, prefix = "", suffix = "" }) {
  const text = index.text;
  const isWord = (i) => i >= 0 && i < text.length && WORD.test(text[i]);
  const m = query.quote.length;
  // A start inside a word, for a quote that began with one, is never kept.
  // With no edge of the kind near, the place where that side of the context
  // stands intact (within the quote's length) is one: a word replaced by a
  // longer one at the quote's end, which the distance alone would rather drop.
  const edges = (at, isEdge, context) => {
    const found = isEdge(at) ? [at] : [];
    for (let i = Math.max(0, at - EDGE_REACH); i <= Math.min(text.length, at + EDGE_REACH); i++) if (i !== at && isEdge(i)) found.push(i);
    if (!found.length) found.push(context(Math.max(EDGE_REACH, m)) ?? at);
    return found;
  };
  const first = query.quote[0];
  const last = query.quote.at(-1);
  const wordStart = WORD.test(exact[0]) && !WORD.test(prefix.at(-1) ?? " ");
  const wordEnd = WORD.test(exact.at(-1)) && !WORD.test(suffix[0] ?? " ");
  // Only an edge whose side of the context does not fit is moved.
  const prefixFits = text.slice(Math.max(0, best.start - query.prefix.length), best.start).endsWith(query.prefix);
  const suffixFits = text.startsWith(query.suffix, best.end);
  const starts = prefixFits ? [best.start] : edges(best.start, (i) => (wordStart ? isWord(i) && !isWord(i - 1) : text[i] === first), (reach) => {
    const at = intactNear(text, query.prefix, best.start - query.prefix.length, reach);
    return at === null ? null : at + query.prefix.length;
  });
  const ends = suffixFits ? [best.end] : edges(best.end, (i) => (wordEnd ? isWord(i - 1) && !isWord(i) : text[i - 1] === last),
    (reach) => intactNear(text, query.suffix, best.end, reach));
  // Edges are chosen on resemblance: corroboration is of the match, not of its edges.
  let chosen = starts.includes(best.start) && ends.includes(best.end) ? best : null;
  for (const start of starts) {
    // The quote's distance to the text from `start` up to every end at once.
    const distances = startDistances(query.quote, text, start, Math.max(...ends) - start);
    for (const end of ends) {
      if (end <= start || (start === best.start && end === best.end)) continue;
      const candidate = judge(index, query, start, end, Math.max(0, 1 - distances[end - start] / m));
      if (!chosen || resemblance(candidate) > resemblance(chosen)) chosen = candidate;
    }
  }
  return chosen ?? best;
}

// Where `side` (a side of the context with something besides white space)
// occurs within `reach` of `at`, the nearest such place; else null.
function intactNear(text, side, at, reach) {
  if (side.replace(/\s+/g, "").length < MIN_CONTEXT) return null;
  const from = Math.max(0, at - reach);
  const window = text.slice(from, at + reach + side.length);
  let nearest = null;
  for (let i = window.indexOf(side); i !== -1; i = window.indexOf(side, i + 1)) {
    if (nearest === null || Math.abs(from + i - at) < Math.abs(nearest - at)) nearest = from + i;
  }
  return nearest;
}

// White space the quote did not have at its edges is not part of its match.
function withoutEdgeSpace(text, { start, end }, exact) {
  if (!/^\s/.test(exact)) while (start < end && /\s/.test(text[start])) start++;
  if (!/\s$/.test(exact)) while (end > start && /\s/.test(text[end - 1])) end--;
  return { start, end };
}

// What is known of the highlight, in a space's terms (the text as it is,
// or its normalized index).
function queryOf(space, selector, { structure } = {}, known = null) {
  const { exact, prefix = "", suffix = "" } = selector.quote;
  const fold = space.raw ? (string) => string : normalize;
  const position = selector.position;
  const hint = Number.isInteger(position?.start) ? position.start : null;
  const range = structure && selector.range;
  const informative = (prefix + suffix).replace(/\s+/g, "").length;
  const pointed = known ? known.pointed : range ? structure.resolve(range) : null;
  return {
    quote: fold(exact),
    prefix: fold(prefix),
    suffix: fold(suffix),
    contextShare: Math.min(1, informative / CONTEXT_LENGTH),
    hint: hint === null ? null : space.fromOriginal(hint),
    original: hint === null ? null : { start: position.start, end: position.end },
    structure: structure ?? null,
    kind: known ? known.kind : range ? structure.storedBlock(range) : null,
    pointed,
    resolved: known ? known.resolved : holding(space.source, pointed, exact),
  };
}

// The stored range's place now (`pointed`), if it still holds the quote.
function holding(text, resolved, exact) {
  return resolved && normalize(text.slice(resolved.start, resolved.end)) === normalize(exact) ? resolved : null;
}

// The old place, when the quote and its whole context are still there, in
// the same kind of block, and the quote nowhere else: nothing could beat it.
function atOldPlace(space, query) {
  const { original, structure, quote } = query;
  if (!original || space.text.slice(original.start, original.end) !== quote) return null;
  if (!hasFullContext(space.text, original.start, original.end, query)) return null;
  if (space.occurrences(quote).length !== 1) return null;
  if (query.kind && structure.blockAt(original.start) !== query.kind) return null;
  return { start: original.start, end: original.end, method: "position", score: 1 };
}

function better(a, b) {
  if (!a) return b;
  if (!b) return a;
  return b.score > a.score ? b : a;
}

function methodOf(text, { start, end }, exact) {
  const found = text.slice(start, end);
  if (found === exact) return "quote";
  return normalize(found) === normalize(exact) ? "normalized" : "fuzzy";
}

// --- the confidence ---------------------------------------------------------------

// A candidate [start, end) of the normalized text, whose quote similarity is
// known, scored on all the evidence there is: {start, end, similarity, score}.
function judge(index, query, start, end, similarity) {
  const text = index.text;
  const evidence = { quote: similarity };
  let sum = 0;
  let weight = 0;
  const add = (name, value, share = 1) => {
    if (value === null) return;
    evidence[name] = value;
    sum += WEIGHTS[name] * share * value;
    weight += WEIGHTS[name] * share;
  };
  add("quote", similarity);
  // White space is no context: a quote among tabs has hardly any.
  const sides = [contextScore(query.prefix, text.slice(Math.max(0, start - query.prefix.length), start), true),
    contextScore(query.suffix, text.slice(end, end + query.suffix.length), false)];
  add("context", contextSupport(...sides), query.contextShare);
  add("position", query.hint === null ? null : 1 / (1 + Math.abs(start - query.hint) / LOCALITY));
  let pointedAt = false;
  if (query.structure) {
    const original = index.toOriginal({ start, end });
    const kind = query.kind && query.structure.blockAt(original.start);
    if (kind && kind !== query.kind) add("block", 0);
    if (query.resolved) add("range", Number(covers(query.resolved, original)));
    pointedAt = Boolean(query.pointed) && covers(query.pointed, original);
  }
  const mean = sum / weight;
  const intact = similarity === 1 ? INTACT * Math.min(1, (end - start) / SELF_EVIDENT) : 0;
  let score = mean + (1 - mean) * intact;
  if (similarity < 1 && !pointedAt && !isCorroborated(sides, evidence.position ?? 0)) {
    evidence.uncorroborated = true;
    score *= UNCORROBORATED;
  }
  return { start, end, similarity, score, evidence };
}

// Resemblance alone is no evidence: an approximate match counts only where
// the stored range still points at it, or its context agrees: near its old
// place one side is enough (the other may have been edited), farther every
// side known must agree (a list's items, a section's repeated heading give a
// look-alike one side of the context); with no context known, only near
// its old place.
function isCorroborated(sides, position) {
  const known = sides.filter((side) => side !== null);
  if (!known.length) return position >= NEAR;
  return position >= NEAR ? contextSupport(...sides) >= AGREES : known.every((side) => side >= AGREES);
}

// A candidate's score as if it were corroborated: what its edges may change.
function resemblance(candidate) {
  return candidate.evidence.uncorroborated ? candidate.score / UNCORROBORATED : candidate.score;
}

// Whether `span` is more than half inside `place`'s span.
function covers(place, span) {
  return Math.min(place.end, span.end) - Math.max(place.start, span.start) > (span.end - span.start) / 2;
}

// One side of the context intact is good support (a paragraph was added
// before the quote, or its sentence ends differently now); both, the best.
function contextSupport(prefix, suffix) {
  if (prefix === null || suffix === null) return prefix ?? suffix;
  return (2 * Math.max(prefix, suffix) + Math.min(prefix, suffix)) / 3;
}

// How well the stored context matches the text beside a candidate, 0 for no
// better than unrelated text; null when none was stored. The characters
// next to the quote count most (the mean over its nearest 8, 16 and all
// characters): a paragraph that moved keeps the words of its own that
// surround the quote. At the text's edge (a readable copy starts with the
// article) what is left is compared, and each character missing counts half.
function contextScore(wanted, actual, isPrefix) {
  if (wanted.replace(/\s+/g, "").length < MIN_CONTEXT) return null; // white space says nothing
  const missing = wanted.length - actual.length;
  if (missing > 0) wanted = isPrefix ? wanted.slice(missing) : wanted.slice(0, actual.length);
  let known = 0;
  if (wanted === actual) known = 1;
  else if (wanted) {
    const near = (string, n) => (isPrefix ? string.slice(-n) : string.slice(0, n));
    const above = (n) => Math.max(0, (similarity(near(wanted, n), near(actual, n)) - CHANCE) / (1 - CHANCE));
    known = (above(8) + above(16) + above(wanted.length)) / 3;
  }
  return missing > 0 ? (known * actual.length + 0.5 * missing) / (actual.length + missing) : known;
}

// 1 - (edit distance / length): one changed character next to a quote costs
// its context one character, not everything before it.
function similarity(wanted, actual) {
  return wanted === actual ? 1 : Math.max(0, 1 - editDistance(wanted, actual) / wanted.length);
}

function hasFullContext(text, start, end, { prefix, suffix }) {
  return text.slice(Math.max(0, start - prefix.length), start).endsWith(prefix) && text.startsWith(suffix, end);
}

// --- approximate search ----------------------------------------------------------

function maxErrorsFor(length, rate) {
  return Math.min(256, Math.max(length >= 4 ? 1 : 0, Math.floor(length * rate)));
}

// The best approximate occurrence: in a narrow window around the old
// position, and unless that is sure ("narrow" stops there), around the
// places where pieces of the quote occur exactly ("anywhere": if the quote
// has at most k errors, one of k+1 pieces is intact; long quotes use fewer,
// longer pieces, which still finds all but heavily edited quotes) or in a
// wide window around the old position ("near").
function fuzzyFind(index, query, rate, reach = "anywhere") {
  const { quote, hint } = query;
  const maxErrors = maxErrorsFor(quote.length, rate);
  const searched = [];
  let best = null;
  const search = ([from, to]) => {
    if (searched.some(([a, b]) => from >= a && to <= b)) return;
    searched.push([from, to]);
    best = better(best, bestInWindow(index, query, maxErrors, from, to));
  };
  if (hint !== null) {
    // At the old place the quote may have changed more (a short quote with
    // a word replaced): its context says whether it is still the quote.
    const nearErrors = maxErrorsFor(quote.length, Math.max(rate, NEAR_RATE));
    const window = [hint - nearErrors - NARROW, hint + quote.length + nearErrors + NARROW];
    searched.push(window);
    best = bestInWindow(index, query, nearErrors, window[0], window[1]);
    if (reach === "narrow" || (best && best.score >= SURE)) return best;
  }
  if (reach === "anywhere") seedWindows(index, quote, maxErrors).forEach(search);
  else if (hint !== null) {
    const slack = Math.max(WIDE, 2 * quote.length);
    search([hint - slack, hint + quote.length + slack]);
  }
  return best;
}

const MIN_PIECE = 8;
const COMMON_PIECE = 400; // a piece found more often than this says nothing of where the quote is
const MAX_REGIONS = 8; // regions searched: those the most pieces point to

// Windows around the places where pieces of the quote occur, the places
// most pieces agree on first (a quote with e errors keeps at least
// pieces - e of them intact).
function seedWindows(index, quote, maxErrors) {
  const pieces = Math.max(1, Math.min(maxErrors + 1, Math.floor(quote.length / MIN_PIECE)));
  const size = Math.floor(quote.length / pieces);
  const hits = [];
  for (let p = 0; p < pieces; p++) {
    const offset = p * size;
    const found = index.occurrences(quote.slice(offset, p === pieces - 1 ? quote.length : offset + size));
    if (found.length <= COMMON_PIECE) for (const at of found) hits.push({ start: at - offset, piece: p });
  }
  hits.sort((a, b) => a.start - b.start);
  const regions = [];
  for (const hit of hits) {
    const last = regions.at(-1);
    if (last && hit.start - last.first <= maxErrors + 1) {
      last.last = hit.start;
      last.pieces.add(hit.piece);
    } else regions.push({ first: hit.start, last: hit.start, pieces: new Set([hit.piece]) });
  }
  return regions.sort((a, b) => b.pieces.size - a.pieces.size).slice(0, MAX_REGIONS)
    .map(({ first, last }) => [first - maxErrors - 1, last + quote.length + maxErrors + 1]);
}

// The best match in text[from, to), never one cut short by the window's
// edge: a match touching an edge is searched again in a window around it.
function bestInWindow(index, query, maxErrors, from, to) {
  const text = index.text;
  const { quote } = query;
  for (let attempt = 0; attempt < 3; attempt++) {
    from = Math.max(0, from);
    to = Math.min(text.length, to);
    if (to - from < quote.length - maxErrors) return null;
    // Candidates are compared as if they started one quote length before
    // their end (an end that drops words the quote had, or takes in words it
    // did not, loses context there); only the winner's start is worked out.
    let best = null;
    for (const { end, errors } of bestEnds(text, quote, maxErrors, from, to)) {
      best = better(best, judge(index, query, Math.max(from, end - quote.length), end, 1 - errors / quote.length));
    }
    if (!best) return null;
    best = judge(index, query, best.end - alignedLength(text, quote, best.end, from), best.end, best.similarity);
    const cutAtStart = best.start <= from + maxErrors && from > 0;
    const cutAtEnd = best.end >= to - maxErrors && to < text.length;
    if (!cutAtStart && !cutAtEnd) return best;
    const slack = quote.length + 2 * maxErrors + 1;
    from = best.start - slack;
    to = best.end + slack;
  }
  return null;
}

// The ends in text[from, to) where `pattern` matches with at most maxErrors
// errors and fewer than at the neighbouring ends (local minima), the
// MAX_ENDS best of them: a window may hold the quote edited and, a little
// farther, a similar passage; context and position decide between them.
const MAX_ENDS = 4;

function bestEnds(text, pattern, maxErrors, from = 0, to = text.length) {
  from = Math.max(0, from);
  const errorsAt = endDistances(pattern, text, from, to);
  const ends = [];
  for (let j = 1; j < errorsAt.length; j++) {
    const errors = errorsAt[j];
    if (errors <= maxErrors && errors <= errorsAt[j - 1] && (j === errorsAt.length - 1 || errors <= errorsAt[j + 1])) ends.push({ end: from + j, errors });
  }
  ends.sort((a, b) => a.errors - b.errors);
  // Ends with many more errors than the best are not worth scoring.
  const worst = ends.length ? ends[0].errors + Math.max(2, maxErrors >> 2) : 0;
  return ends.slice(0, MAX_ENDS).filter((end) => end.errors <= worst);
}

// How many characters before `end` (and after `from`) the best alignment of
// `pattern` starts: the edit distance read backwards from `end`, the
// pattern's start pinned; the shortest of the best.
function alignedLength(text, pattern, end, from = 0) {
  const m = pattern.length;
  const row = backDistances(pattern, text, end, Math.min(end - from, m + Math.ceil(m / 2) + 1));
  let bestLength = 0;
  for (let j = 1; j < row.length; j++) if (row[j] < row[bestLength]) bestLength = j;
  return bestLength;
}

// A long quote: find its head and its tail, and accept them if they enclose
// about the quote's length.
function fuzzyByEnds(index, query, rate) {
  const { quote } = query;
  const head = fuzzyFind(index, { ...query, quote: quote.slice(0, END_PIECE), suffix: "" }, rate);
  if (!head) return null;
  const tailHint = head.start + quote.length - END_PIECE;
  const tail = fuzzyFind(index, { ...query, quote: quote.slice(-END_PIECE), prefix: "", hint: tailHint }, rate, "near");
  if (!tail) return null;
  const length = tail.end - head.start;
  if (length < quote.length * (1 - rate) || length > quote.length * (1 + rate)) return null;
  return judge(index, query, head.start, tail.end, (head.similarity + tail.similarity) / 2);
}

// --- normalization ---------------------------------------------------------------

export function normalize(string) {
  // Plain ASCII (most quotes and contexts) needs no per-character folding.
  return /^[\x00-\x7f]*$/.test(string) ? string.replace(/\s+/g, " ").toLowerCase() : buildIndex(string).text;
}

// The last text anchored in, with what was built for it: every quote of a
// page shares them.
let cached = { text: null, raw: null, index: null };

function cacheFor(text) {
  if (cached.text !== text) cached = { text, raw: null, index: null };
  return cached;
}

export function textIndex(text) {
  const entry = cacheFor(text);
  entry.index ??= buildIndex(text);
  return entry.index;
}

// The text as it is, searched like an index.
function rawSpace(text) {
  const entry = cacheFor(text);
  entry.raw ??= { raw: true, source: text, text, occurrences: searcher(text), fromOriginal: (offset) => offset, toOriginal: (span) => span };
  return entry.raw;
}

function isSpace(code) {
  return (code >= 9 && code <= 13) || code === 32 || code === 0xa0 || code === 0x1680
    || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029
    || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff;
}

const folds = new Map(); // code point -> its comparison form

function fold(point) {
  let folded = folds.get(point);
  if (folded === undefined) {
    folded = String.fromCodePoint(point).normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
    folds.set(point, folded);
  }
  return folded;
}

// The normalized text, and for each of its characters the span of the
// original it came from, to map matches back.
function buildIndex(source) {
  const length = source.length;
  let codes = new Uint16Array(length + 16);
  let starts = new Int32Array(length + 16);
  let ends = new Int32Array(length + 16);
  let n = 0;
  let i = 0;
  while (i < length) {
    if (n + 4 > codes.length) {
      const grow = (array) => { const bigger = new array.constructor(array.length * 2); bigger.set(array); return bigger; };
      codes = grow(codes);
      starts = grow(starts);
      ends = grow(ends);
    }
    const code = source.charCodeAt(i);
    if (code > 32 && code < 128) {
      codes[n] = code >= 65 && code <= 90 ? code + 32 : code;
      starts[n] = i;
      ends[n++] = ++i;
    } else if (isSpace(code)) {
      let j = i + 1;
      while (j < length && isSpace(source.charCodeAt(j))) j++;
      codes[n] = 32;
      starts[n] = i;
      ends[n++] = j;
      i = j;
    } else if (code < 128) {
      codes[n] = code;
      starts[n] = i;
      ends[n++] = ++i;
    } else {
      const point = source.codePointAt(i);
      const width = point > 0xffff ? 2 : 1;
      const folded = fold(point);
      for (let k = 0; k < folded.length && k < 4; k++) {
        codes[n] = folded.charCodeAt(k);
        starts[n] = i;
        ends[n++] = i + width;
      }
      i += width;
    }
  }
  const text = new TextDecoder("utf-16le").decode(codes.subarray(0, n));
  const startArray = starts.subarray(0, n);
  const endArray = ends.subarray(0, n);
  return {
    source,
    text,
    // Where `needle` occurs in the normalized text, in order.
    occurrences: searcher(text),
    fromOriginal(offset) {
      let low = 0;
      let high = startArray.length;
      while (low < high) {
        const mid = (low + high) >> 1;
        if (startArray[mid] < offset) low = mid + 1; else high = mid;
      }
      return low;
    },
    toOriginal({ start, end }) {
      if (end <= start) return { start: startArray[start] ?? source.length, end: startArray[start] ?? source.length };
      return { start: startArray[start], end: extendOverMarks(source, endArray[end - 1]) };
    },
  };
}

// occurrences(needle) of a text: a scan for the first few searches, then
// (for a long text searched often) a table of its GRAM-character pieces, so
// a page's many quotes cost the text's length once, not once each.
const SCANS = 16;

function searcher(text) {
  let scans = 0;
  let grams = null;
  return (needle) => {
    if (needle.length < GRAM || text.length < SMALL_TEXT || (grams === null && ++scans <= SCANS)) return occurrencesByScan(text, needle);
    grams ??= gramTable(text);
    return grams.occurrences(needle);
  };
}

function occurrencesByScan(text, needle) {
  const found = [];
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) found.push(at);
  return found;
}

// Every position of the text by the hash of the GRAM characters there, so
// finding a quote or a piece of one costs its occurrences, not the text's
// length: built once per text, on its first search.
const GRAM = 8;
const SMALL_TEXT = 4096; // shorter texts are scanned
const BASE = 31;

function gramTable(text) {
  const count = Math.max(0, text.length - GRAM + 1);
  let size = 1024;
  while (size < count) size *= 2;
  const mask = size - 1;
  const head = new Int32Array(size).fill(-1);
  const next = new Int32Array(count);
  const bucket = (hash) => (hash ^ (hash >>> 15)) & mask;
  let out = 1; // BASE ** (GRAM - 1), in 32 bits
  for (let i = 1; i < GRAM; i++) out = Math.imul(out, BASE);
  let hash = 0;
  for (let i = 0; i < GRAM && i < text.length; i++) hash = (Math.imul(hash, BASE) + text.charCodeAt(i)) | 0;
  // Chains are made from the end, so each lists its positions in order.
  const hashes = new Int32Array(count);
  for (let at = 0; at < count; at++) {
    hashes[at] = hash;
    hash = (Math.imul(hash - Math.imul(text.charCodeAt(at), out), BASE) + text.charCodeAt(at + GRAM)) | 0;
  }
  for (let at = count - 1; at >= 0; at--) {
    const b = bucket(hashes[at]);
    next[at] = head[b];
    head[b] = at;
  }
  return {
    occurrences(needle) {
      let hash = 0;
      for (let i = 0; i < GRAM; i++) hash = (Math.imul(hash, BASE) + needle.charCodeAt(i)) | 0;
      const found = [];
      for (let at = head[bucket(hash)]; at !== -1; at = next[at]) if (text.startsWith(needle, at)) found.push(at);
      return found;
    },
  };
}

// Combining marks after a match's last letter belong to it.
function extendOverMarks(text, end) {
  while (end < text.length && /\p{M}/u.test(text[end])) end++;
  return end;
}

function safeStart(text, offset) {
  const code = text.charCodeAt(offset);
  return code >= 0xdc00 && code <= 0xdfff && offset > 0 ? offset + 1 : offset;
}

function safeEnd(text, offset) {
  const code = text.charCodeAt(offset - 1);
  return code >= 0xd800 && code <= 0xdbff ? offset - 1 : offset;
}
