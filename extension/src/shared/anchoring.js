// Pure text anchoring: no DOM, no browser APIs. Loaded by the extension and,
// from /static/shared/anchoring.js, by the web view.
//
// A selector is what a highlight keeps to find its text again:
//   {quote: {exact, prefix, suffix}, position: {start, end}}
// Offsets are UTF-16 code units into one string ("the text"), as in
// String.prototype.slice and DOM Range offsets.
//
// Exports
//   CONTEXT_LENGTH = 32          characters of prefix/suffix kept by describe()
//   describe(text, start, end, contextLength?) -> selector
//       The selector of text.slice(start, end).
//   anchor(text, selector, options?) -> {start, end, method, score} | null
//       Where the selector's text is now, or null when nothing fits (the
//       highlight is an orphan). Tries, in order:
//         1. the old position, if the text there is still `exact`;
//         2. an exact occurrence with its whole context close to the old
//            position (the page moved a little);
//         3. near the old position (a narrow, then a wide window): exact or
//            approximate (edit distance) occurrences, ignoring case, accents
//            and whitespace runs;
//         4. unless step 3 found a confident match: exact occurrences anywhere,
//            then approximate ones wherever a piece of the quote still occurs.
//       Candidates are scored on quote similarity, context similarity (edit
//       distance, so one changed letter next to a quote costs one letter) and
//       nearness to the old position; context outweighs nearness.
//       method: "position" | "quote" (the exact text) | "normalized" (equal
//       but for case, accents, whitespace) | "fuzzy" (approximate).
//       score is in 0..1 (1 = the exact quote, full context, same place).
//       options.maxErrorRate (default 0.25, at most 0.5): the most edits per
//       quote character an approximate match may have.
//   normalize(string) -> string
//       The comparison form used by "normalized" and "fuzzy": lowercase, no
//       combining marks, every whitespace run one space.

export const CONTEXT_LENGTH = 32;

const LONG_QUOTE = 512; // longer quotes are matched fuzzily by their two ends
const END_PIECE = 128; // length of those ends
const NEAR = 4096; // characters around the old position searched first
const MOVED = 64; // an intact occurrence this close to the old position is taken at once
const CONFIDENT = 0.9; // a match near the old position scoring this is not searched past
const NARROW = 32; // slack of the first approximate window, beyond the errors allowed
const WIDE = 256; // slack of the second
const WEIGHTS = { quote: 50, prefix: 20, suffix: 20, position: 20 };
const LOCALITY = 100; // characters of distance that halve the position score

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
  const quote = selector?.quote ?? {};
  const exact = quote.exact ?? "";
  if (!exact) return null;
  const position = selector.position;
  const hint = Number.isInteger(position?.start) ? position.start : null;
  if (hint !== null && text.slice(position.start, position.end) === exact) {
    return { start: position.start, end: position.end, method: "position", score: 1 };
  }
  const context = { prefix: quote.prefix ?? "", suffix: quote.suffix ?? "" };
  const near = hint === null ? null : nearExact(text, exact, context, hint);
  if (near && Math.abs(near.start - hint) <= MOVED) return { ...near, method: "quote" };

  const index = normalizedIndex(text);
  const normQuote = normalize(exact);
  if (!normQuote.trim()) return null;
  const normContext = { prefix: normalize(context.prefix), suffix: normalize(context.suffix) };
  const normHint = hint === null ? null : index.fromOriginal(hint);
  const rate = options.maxErrorRate ?? 0.25;
  const fuzzy = (nearOnly) => inOriginal(index, normQuote.length > LONG_QUOTE
    ? fuzzyByEnds(index.text, normQuote, normContext, normHint, rate, nearOnly)
    : fuzzyFind(index.text, normQuote, normContext, normHint, rate, nearOnly));
  // Near the old position first: the quote edited where it was beats the
  // same words intact far away (a repeated passage), and is cheap to find.
  let best = better(near, normHint === null ? null : fuzzy(true));
  if (!best || best.score < CONFIDENT) {
    const anywhere = bestExact(text, exact, context, hint) ?? inOriginal(index, bestExact(index.text, normQuote, normContext, normHint));
    best = better(best, anywhere) ?? fuzzy(false);
  }
  return best && { ...best, method: methodOf(text, best, exact, normQuote) };
}

function better(a, b) {
  if (!a) return b;
  if (!b) return a;
  return b.score > a.score ? b : a;
}

function inOriginal(index, found) {
  return found && { ...index.toOriginal(found), score: found.score };
}

function methodOf(text, { start, end }, exact, normQuote) {
  const found = text.slice(start, end);
  if (found === exact) return "quote";
  return normalize(found) === normQuote ? "normalized" : "fuzzy";
}

// --- scoring ---------------------------------------------------------------------

function scoreAt(text, start, end, quoteSimilarity, context, hint) {
  const { prefix, suffix } = context;
  const prefixScore = prefix ? similarity(prefix, text.slice(Math.max(0, start - prefix.length), start)) : 1;
  const suffixScore = suffix ? similarity(suffix, text.slice(end, end + suffix.length)) : 1;
  const positionScore = hint === null ? 0.5 : 1 / (1 + Math.abs(start - hint) / LOCALITY);
  const total = WEIGHTS.quote + WEIGHTS.prefix + WEIGHTS.suffix + WEIGHTS.position;
  return (WEIGHTS.quote * quoteSimilarity + WEIGHTS.prefix * prefixScore
    + WEIGHTS.suffix * suffixScore + WEIGHTS.position * positionScore) / total;
}

// 1 - (edit distance / length): one changed character next to a quote costs
// its context one character, not everything before it.
function similarity(wanted, actual) {
  if (wanted === actual) return 1;
  const n = actual.length;
  let row = new Int32Array(n + 1);
  let next = new Int32Array(n + 1);
  for (let j = 0; j <= n; j++) row[j] = j;
  for (let i = 1; i <= wanted.length; i++) {
    next[0] = i;
    const c = wanted.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      next[j] = Math.min(row[j - 1] + (actual.charCodeAt(j - 1) === c ? 0 : 1), row[j] + 1, next[j - 1] + 1);
    }
    [row, next] = [next, row];
  }
  return Math.max(0, 1 - row[n] / wanted.length);
}

function hasFullContext(text, start, end, context) {
  return text.slice(Math.max(0, start - context.prefix.length), start).endsWith(context.prefix)
    && text.startsWith(context.suffix, end);
}

// --- exact search ----------------------------------------------------------------

// The occurrence with its whole context intact nearest the old position, if
// one is within NEAR characters: no farther exact occurrence can beat it.
function nearExact(text, quote, context, hint) {
  const from = Math.max(0, hint - NEAR);
  const window = text.slice(from, hint + NEAR + quote.length);
  let nearest = null;
  for (let at = window.indexOf(quote); at !== -1; at = window.indexOf(quote, at + 1)) {
    const start = from + at;
    if (hasFullContext(text, start, start + quote.length, context)
        && (nearest === null || Math.abs(start - hint) < Math.abs(nearest - hint))) nearest = start;
  }
  if (nearest === null) return null;
  return { start: nearest, end: nearest + quote.length, score: scoreAt(text, nearest, nearest + quote.length, 1, context, hint) };
}

// The best-scored occurrence anywhere.
function bestExact(text, quote, context, hint) {
  let best = null;
  for (let at = text.indexOf(quote); at !== -1; at = text.indexOf(quote, at + 1)) {
    const score = scoreAt(text, at, at + quote.length, 1, context, hint);
    if (!best || score > best.score) best = { start: at, end: at + quote.length, score };
  }
  return best;
}

// --- approximate search ----------------------------------------------------------

function maxErrorsFor(length, rate) {
  return Math.min(256, Math.max(length >= 4 ? 1 : 0, Math.floor(length * rate)));
}

// The best approximate occurrence: first in a window around the old position,
// then around every place where a piece of the quote occurs exactly (if the
// quote has at most k errors, one of k+1 pieces is intact; long quotes use
// fewer, longer pieces, which still finds all but heavily edited quotes).
function fuzzyFind(text, quote, context, hint, rate, nearOnly) {
  const maxErrors = maxErrorsFor(quote.length, rate);
  let best = null;
  if (hint !== null) {
    // A narrow window first (the text moved a little), then a wide one.
    for (const slack of [maxErrors + NARROW, Math.max(WIDE, 2 * quote.length)]) {
      best = better(best, bestInWindow(text, quote, context, hint, maxErrors, hint - slack, hint + quote.length + slack));
      if (best && best.score >= CONFIDENT) return best;
    }
  }
  if (nearOnly) return best;
  const searched = [];
  for (const window of seedWindows(text, quote, maxErrors)) {
    if (searched.some(([a, b]) => window[0] >= a && window[1] <= b)) continue;
    searched.push(window);
    best = better(best, bestInWindow(text, quote, context, hint, maxErrors, window[0], window[1]));
  }
  return best;
}

const MIN_PIECE = 8;
const MAX_SEED_HITS = 200;

function* seedWindows(text, quote, maxErrors) {
  const pieces = Math.max(1, Math.min(maxErrors + 1, Math.floor(quote.length / MIN_PIECE)));
  const size = Math.floor(quote.length / pieces);
  let hits = 0;
  for (let p = 0; p < pieces; p++) {
    const offset = p * size;
    const piece = quote.slice(offset, p === pieces - 1 ? quote.length : offset + size);
    for (let at = text.indexOf(piece); at !== -1 && hits < MAX_SEED_HITS; at = text.indexOf(piece, at + 1), hits++) {
      const start = at - offset;
      yield [start - maxErrors - 1, start + quote.length + maxErrors + 1];
    }
  }
}

function bestInWindow(text, quote, context, hint, maxErrors, from, to) {
  from = Math.max(0, from);
  to = Math.min(text.length, to);
  if (to <= from) return null;
  const window = text.slice(from, to);
  // Candidates are compared as if they started one quote length before their
  // end; only the winner's start is worked out exactly.
  let best = null;
  for (const { end, errors } of bestEnds(window, quote, maxErrors)) {
    const similarity = 1 - errors / quote.length;
    const score = scoreAt(text, from + Math.max(0, end - quote.length), from + end, similarity, context, hint);
    if (!best || score > best.score) best = { end, similarity, score };
  }
  if (!best) return null;
  const start = from + best.end - alignedLength(window, quote, best.end);
  const end = from + best.end;
  return { start, end, score: scoreAt(text, start, end, best.similarity, context, hint) };
}

// Semi-global edit distance (Sellers): the ends in `text` where `pattern`
// matches with at most maxErrors errors and fewer than at the neighbouring
// ends (local minima), the MAX_ENDS best of them: a window may hold the quote
// edited and, a little farther, a similar passage; context and position
// decide between them.
const MAX_ENDS = 8;

function bestEnds(text, pattern, maxErrors) {
  const m = pattern.length;
  const over = maxErrors + 1; // any count above maxErrors, as far as we care
  let column = new Int32Array(m + 2).fill(over);
  let next = new Int32Array(m + 2).fill(over);
  for (let i = 0; i <= Math.min(m, maxErrors); i++) column[i] = i;
  let last = Math.min(m, maxErrors); // Ukkonen: rows below `last` are all over maxErrors
  const errorsAt = new Int32Array(text.length + 1).fill(over);
  for (let j = 1; j <= text.length; j++) {
    const c = text.charCodeAt(j - 1);
    const top = Math.min(m, last + 1);
    next[0] = 0;
    for (let i = 1; i <= top; i++) {
      const substitute = column[i - 1] + (pattern.charCodeAt(i - 1) === c ? 0 : 1);
      const remove = column[i] + 1;
      const insert = next[i - 1] + 1;
      next[i] = substitute < remove ? (substitute < insert ? substitute : insert) : (remove < insert ? remove : insert);
    }
    next[top + 1] = over;
    [column, next] = [next, column];
    last = top;
    while (last > 0 && column[last] > maxErrors) last--;
    if (top === m) errorsAt[j] = Math.min(column[m], over);
  }
  const ends = [];
  for (let j = 1; j <= text.length; j++) {
    const errors = errorsAt[j];
    if (errors <= maxErrors && errors <= errorsAt[j - 1] && (j === text.length || errors <= errorsAt[j + 1])) ends.push({ end: j, errors });
  }
  return ends.sort((a, b) => a.errors - b.errors).slice(0, MAX_ENDS);
}

// How many characters before `end` the best alignment of `pattern` starts:
// an edit distance run backwards from `end`, pattern start pinned.
function alignedLength(text, pattern, end) {
  const m = pattern.length;
  const reach = Math.min(end, m + Math.ceil(m / 2) + 1);
  let row = new Int32Array(reach + 1);
  let next = new Int32Array(reach + 1);
  for (let j = 0; j <= reach; j++) row[j] = j;
  for (let i = 1; i <= m; i++) {
    const p = pattern.charCodeAt(m - i);
    next[0] = i;
    for (let j = 1; j <= reach; j++) {
      const substitute = row[j - 1] + (text.charCodeAt(end - j) === p ? 0 : 1);
      next[j] = Math.min(substitute, row[j] + 1, next[j - 1] + 1);
    }
    [row, next] = [next, row];
  }
  let bestLength = 0;
  for (let j = 1; j <= reach; j++) if (row[j] < row[bestLength]) bestLength = j;
  return bestLength;
}

// A long quote: find its head and its tail, and accept them if they enclose
// about the quote's length.
function fuzzyByEnds(text, quote, context, hint, rate, nearOnly) {
  const head = fuzzyFind(text, quote.slice(0, END_PIECE), { prefix: context.prefix, suffix: "" }, hint, rate, nearOnly);
  if (!head) return null;
  const tailHint = head.start + quote.length - END_PIECE;
  const tail = fuzzyFind(text, quote.slice(-END_PIECE), { prefix: "", suffix: context.suffix }, tailHint, rate, true);
  if (!tail) return null;
  const length = tail.end - head.start;
  if (length < quote.length * (1 - rate) || length > quote.length * (1 + rate)) return null;
  return { start: head.start, end: tail.end, score: (head.score + tail.score) / 2 };
}

// --- normalization ---------------------------------------------------------------

export function normalize(string) {
  // Plain ASCII (most quotes and contexts) needs no per-character folding.
  return /^[\x00-\x7f]*$/.test(string) ? string.replace(/\s+/g, " ").toLowerCase() : buildIndex(string).text;
}

let cachedIndex = { source: null, index: null };

function normalizedIndex(text) {
  if (cachedIndex.source !== text) cachedIndex = { source: text, index: buildIndex(text) };
  return cachedIndex.index;
}

function isSpace(code) {
  return (code >= 9 && code <= 13) || code === 32 || code === 0xa0 || code === 0x1680
    || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029
    || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff;
}

// The normalized text, and for each of its characters the span of the
// original it came from, to map matches back.
function buildIndex(source) {
  const parts = [];
  const starts = [];
  const ends = [];
  const push = (string, start, end) => {
    parts.push(string);
    for (let k = 0; k < string.length; k++) { starts.push(start); ends.push(end); }
  };
  let i = 0;
  while (i < source.length) {
    const code = source.charCodeAt(i);
    if (isSpace(code)) {
      let j = i + 1;
      while (j < source.length && isSpace(source.charCodeAt(j))) j++;
      push(" ", i, j);
      i = j;
    } else if (code < 128) {
      push(code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : source[i], i, i + 1);
      i += 1;
    } else {
      const point = source.codePointAt(i);
      const width = point > 0xffff ? 2 : 1;
      const folded = String.fromCodePoint(point).normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
      push(folded, i, i + width);
      i += width;
    }
  }
  const text = parts.join("");
  const startArray = Int32Array.from(starts);
  const endArray = Int32Array.from(ends);
  return {
    text,
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
