// Edit distances by Myers' bit-vector algorithm ("A fast bit-vector algorithm
// for approximate string matching based on dynamic programming", J. ACM 1999),
// with the pattern cut into blocks of 32 characters (the paper's section 4):
// one column of the dynamic programme costs a few word operations per block,
// not one per pattern character. Pure: no DOM, no imports. Used by anchoring.js.
//
// Exports
//   endDistances(pattern, text, from, to) -> Int32Array d, d[j - from] for
//       j in [from, to]: the fewest edits turning `pattern` into some
//       text.slice(i, j) with from <= i <= j (a match ending at j).
//   startDistances(pattern, text, start, limit) -> Int32Array d, d[n] for
//       n in [0, limit]: the edits turning `pattern` into text.slice(start, start + n).
//   backDistances(pattern, text, end, limit) -> Int32Array d, d[n] for
//       n in [0, limit]: the edits turning `pattern` into text.slice(end - n, end).
//   editDistance(a, b) -> the edits (insertions, deletions, substitutions) turning a into b.
// Offsets past the text's ends are clamped.

const WORD = 32;
const SEARCH = 0; // the top row is 0 everywhere: a match may start anywhere
const PINNED = 1; // the top row counts the text read: a match starts where reading did

// The pattern's match masks per block: bit i of block b is set where
// pattern[32b + i] is the character. Kept for the last few patterns (a quote
// and its contexts are compared with many places in turn).
const compiled = [new Map(), new Map()]; // forwards, reversed
const KEPT = 16;

function masksOf(pattern, reversed) {
  const kept = compiled[reversed ? 1 : 0];
  let masks = kept.get(pattern);
  if (masks) return masks;
  const m = pattern.length;
  const blocks = Math.max(1, Math.ceil(m / WORD));
  const ascii = new Int32Array(128 * blocks);
  const other = new Map();
  for (let i = 0; i < m; i++) {
    const code = pattern.charCodeAt(reversed ? m - 1 - i : i);
    const bit = 1 << (i % WORD);
    const b = (i / WORD) | 0;
    if (code < 128) ascii[code * blocks + b] |= bit;
    else {
      if (!other.has(code)) other.set(code, new Int32Array(blocks));
      other.get(code)[b] |= bit;
    }
  }
  masks = { m, blocks, ascii, other, none: new Int32Array(blocks), last: 1 << ((m - 1) % WORD) };
  if (kept.size >= KEPT) kept.delete(kept.keys().next().value);
  kept.set(pattern, masks);
  return masks;
}

// The last row of the programme after each of `count` characters read from
// `start` by `step` (+1 forwards, -1 backwards): out[n] after n characters.
function lastRow(masks, text, start, count, step, top) {
  const { m, blocks, ascii, other, none, last } = masks;
  const out = new Int32Array(count + 1);
  if (m === 0) {
    if (top === PINNED) for (let n = 1; n <= count; n++) out[n] = n;
    return out;
  }
  out[0] = m; // nothing read yet: every character of the pattern is missing
  const pv = new Int32Array(blocks).fill(-1); // vertical deltas +1 ...
  const mv = new Int32Array(blocks); // ... and -1, per row
  let score = m;
  for (let n = 0, j = start; n < count; n++, j += step) {
    const code = text.charCodeAt(j);
    const eqs = code < 128 ? null : other.get(code) ?? none;
    const base = code * blocks;
    let carry = top; // the horizontal delta entering the block from above
    for (let b = 0; b < blocks; b++) {
      let eq = eqs === null ? ascii[base + b] : eqs[b];
      const p = pv[b];
      const q = mv[b];
      const xv = eq | q;
      if (carry < 0) eq |= 1;
      const xh = (((eq & p) + p) ^ p) | eq;
      let ph = q | ~(xh | p);
      let mh = p & xh;
      const high = b === blocks - 1 ? last : 0x80000000 | 0;
      const delta = (ph & high) !== 0 ? 1 : (mh & high) !== 0 ? -1 : 0;
      ph <<= 1;
      mh <<= 1;
      if (carry < 0) mh |= 1;
      else if (carry > 0) ph |= 1;
      pv[b] = mh | ~(xv | ph);
      mv[b] = ph & xv;
      carry = delta;
    }
    score += carry;
    out[n + 1] = score;
  }
  return out;
}

export function endDistances(pattern, text, from, to) {
  from = Math.max(0, from);
  to = Math.min(text.length, to);
  return lastRow(masksOf(pattern, false), text, from, Math.max(0, to - from), 1, SEARCH);
}

export function startDistances(pattern, text, start, limit) {
  start = Math.max(0, start);
  return lastRow(masksOf(pattern, false), text, start, Math.max(0, Math.min(limit, text.length - start)), 1, PINNED);
}

export function backDistances(pattern, text, end, limit) {
  end = Math.min(text.length, end);
  return lastRow(masksOf(pattern, true), text, end - 1, Math.max(0, Math.min(limit, end)), -1, PINNED);
}

export function editDistance(a, b) {
  if (a === b) return 0;
  if (!a.length || !b.length) return a.length + b.length;
  return lastRow(masksOf(a, false), b, 0, b.length, 1, PINNED)[b.length];
}
