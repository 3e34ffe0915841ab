// Myers' bit-vector edit distances against the plain dynamic programme, on
// patterns of one, two and several 32-character blocks and text with
// characters outside ASCII.
import { test } from "node:test";
import assert from "node:assert/strict";
import { backDistances, editDistance, endDistances, startDistances } from "../src/shared/edit-distance.js";

// The last row of the plain programme: pinned, the match starts at text[0].
function plainRow(pattern, text, pinned) {
  let row = Array.from({ length: text.length + 1 }, (_, j) => (pinned ? j : 0));
  for (let i = 1; i <= pattern.length; i++) {
    const next = [i];
    for (let j = 1; j <= text.length; j++) {
      next[j] = Math.min(row[j - 1] + (pattern[i - 1] === text[j - 1] ? 0 : 1), row[j] + 1, next[j - 1] + 1);
    }
    row = next;
  }
  return row;
}

function seeded(seed) {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296;
  };
}

const ALPHABET = "abcdé ñ-";

function word(next, length) {
  return Array.from({ length }, () => ALPHABET[Math.floor(next() * ALPHABET.length)]).join("");
}

// A text holding the pattern with a few characters changed.
function textAround(next, pattern) {
  let edited = [...pattern];
  for (let k = 0; k < 1 + pattern.length / 10; k++) edited[Math.floor(next() * edited.length)] = ALPHABET[Math.floor(next() * ALPHABET.length)];
  return word(next, Math.floor(next() * 40)) + edited.join("") + word(next, Math.floor(next() * 40));
}

test("the distance at every end of a match is the dynamic programme's", () => {
  const next = seeded(1);
  for (const length of [1, 5, 31, 32, 33, 63, 64, 65, 100, 150]) {
    for (let trial = 0; trial < 20; trial++) {
      const pattern = word(next, length);
      const text = textAround(next, pattern);
      assert.deepEqual([...endDistances(pattern, text, 0, text.length)], plainRow(pattern, text, false), `length ${length}`);
      const from = Math.floor(next() * text.length);
      assert.deepEqual([...endDistances(pattern, text, from, text.length)], plainRow(pattern, text.slice(from), false));
    }
  }
});

test("distances pinned at a start, or at an end reading backwards, are the dynamic programme's", () => {
  const next = seeded(2);
  for (const length of [1, 7, 32, 33, 64, 97]) {
    for (let trial = 0; trial < 20; trial++) {
      const pattern = word(next, length);
      const text = textAround(next, pattern);
      const start = Math.floor(next() * text.length);
      assert.deepEqual([...startDistances(pattern, text, start, text.length)], plainRow(pattern, text.slice(start), true));
      const end = 1 + Math.floor(next() * text.length);
      const backwards = (s) => [...s].reverse().join("");
      assert.deepEqual([...backDistances(pattern, text, end, end)], plainRow(backwards(pattern), backwards(text.slice(0, end)), true));
    }
  }
});

test("the edit distance of two strings", () => {
  assert.equal(editDistance("kitten", "sitting"), 3);
  assert.equal(editDistance("", "abc"), 3);
  assert.equal(editDistance("same", "same"), 0);
  const next = seeded(3);
  for (let trial = 0; trial < 50; trial++) {
    const a = word(next, 1 + Math.floor(next() * 80));
    const b = word(next, Math.floor(next() * 80));
    assert.equal(editDistance(a, b), plainRow(a, b, true)[b.length]);
  }
});

test("a limit past the text's end reads to the end", () => {
  assert.deepEqual([...startDistances("ab", "xab", 1, 10)], [2, 1, 0]);
  assert.deepEqual([...backDistances("ab", "abx", 2, 10)], [2, 1, 0]);
});
