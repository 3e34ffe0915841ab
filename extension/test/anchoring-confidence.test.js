// The three ways anchoring used to lie (issue 15): a truncated match near the
// old position, a look-alike sentence placed for a deleted one, and the copy of
// a repeated passage nearest the old position chosen over the paragraph the
// user highlighted. Each placement comes with a confidence; below THRESHOLD it
// is not a placement but a possible match of an orphan.
import { test } from "node:test";
import assert from "node:assert/strict";
import { anchor, describe, isExact, locate, THRESHOLD } from "../src/shared/anchoring.js";

const PARAGRAPHS = [
  "The committee met on a rainy Tuesday to discuss the harbour budget for the coming year.",
  "Fishermen complained that the new fees would push small boats out of the old port entirely.",
  "The mayor promised a review of every fee before the winter storms arrived on the coast.",
  "Engineers warned that the northern breakwater needs repairs within two years or it will fail.",
  "Nobody could say where the money for those repairs would come from, least of all the mayor.",
  "In the end the committee postponed its decision until the spring session of the council.",
];

function selectorIn(text, quote) {
  const at = text.indexOf(quote);
  assert.notEqual(at, -1, `${quote} is in the text`);
  return describe(text, at, at + quote.length);
}

test("a quote moved a few hundred characters and edited is found whole, not cut short near its old place", () => {
  const text = PARAGRAPHS.join("\n\n");
  const quote = "Engineers warned that the northern breakwater needs repairs within two years or it will fail.";
  const selector = selectorIn(text, quote);
  // A 270-character paragraph inserted two paragraphs before it, and one word of it changed.
  const inserted = "A new paragraph about the weather, the tides and the gulls that follow the boats home. ".repeat(3).slice(0, 270);
  const edited = quote.replace("northern", "eastern");
  const changed = text.replace(PARAGRAPHS[2], `${inserted}\n\n${PARAGRAPHS[2]}`).replace(quote, edited);
  const found = anchor(changed, selector);
  assert.ok(found, "the edited quote is placed");
  assert.equal(changed.slice(found.start, found.end), edited);
  assert.equal(found.method, "fuzzy");
});

test("a quote moved by any amount up to 600 characters, and edited, is never placed cut short", () => {
  const text = PARAGRAPHS.join("\n\n");
  const quote = "Fishermen complained that the new fees would push small boats out of the old port entirely.";
  const selector = selectorIn(text, quote);
  const edited = quote.replace("small boats", "small vessels");
  const filler = "Words of a paragraph that was added later, of no interest to anyone reading about fees. ".repeat(8);
  for (let shift = 20; shift <= 600; shift += 20) {
    // Added before the first paragraph, the quote keeps its context: it is placed.
    const before = `${filler.slice(0, shift)}\n\n${text.replace(quote, edited)}`;
    const found = anchor(before, selector);
    assert.ok(found, `moved by ${shift}: placed`);
    assert.equal(before.slice(found.start, found.end), edited, `moved by ${shift}: the whole quote`);
    // Added right before it (its paragraph's context gone too): whole, or not at all.
    const next = text.replace(quote, `${filler.slice(0, shift)}\n\n${edited}`);
    const { found: placed, possible } = locate(next, selector);
    assert.equal(next.slice((placed ?? possible).start, (placed ?? possible).end), edited, `moved by ${shift}, context changed: the whole quote`);
  }
});

test("a look-alike sentence elsewhere is not drawn for a deleted one: an orphan with a possible match", () => {
  const quote = "The mayor promised a review of every fee before the winter storms arrived on the coast.";
  const text = PARAGRAPHS.join("\n\n");
  const selector = selectorIn(text, quote);
  // The paragraph is gone; a similar sentence (about 10% of its characters
  // changed) stands at the end of another paragraph.
  const lookAlike = "The mayor promised a review of each fee before the autumn storms arrived on the coast.";
  const changed = PARAGRAPHS.filter((p) => p !== quote).join("\n\n").replace("spring session of the council.", `spring session of the council. ${lookAlike}`);
  assert.equal(anchor(changed, selector), null);
  const { found, possible } = locate(changed, selector);
  assert.equal(found, null);
  assert.equal(changed.slice(possible.start, possible.end), lookAlike);
  assert.ok(possible.score < THRESHOLD);
});

test("an exact copy of the words in another context is only a possible match", () => {
  const quote = "needs repairs within two years";
  const text = PARAGRAPHS.join("\n\n");
  const selector = selectorIn(text, quote);
  const changed = PARAGRAPHS.filter((p) => !p.includes(quote)).join("\n\n")
    + "\n\nA bridge inland also needs repairs within two years, said the report on roads.";
  const { found, possible } = locate(changed, selector);
  assert.equal(found, null);
  assert.equal(changed.slice(possible.start, possible.end), quote);
  assert.equal(isExact(possible), false, "the words, but not in their context");
});

test("right placements keep a confidence above the threshold", () => {
  const text = PARAGRAPHS.join("\n\n");
  const quote = "Nobody could say where the money for those repairs would come from";
  const selector = selectorIn(text, quote);
  const moved = "An added first paragraph, long enough to move everything. ".repeat(10) + text;
  const intact = anchor(moved, selector);
  assert.equal(moved.slice(intact.start, intact.end), quote);
  assert.ok(intact.score >= THRESHOLD && isExact(intact));
  const edited = moved.replace("those repairs", "these repairs");
  const fuzzy = anchor(edited, selector);
  assert.equal(edited.slice(fuzzy.start, fuzzy.end), quote.replace("those", "these"));
  assert.ok(fuzzy.score >= THRESHOLD && fuzzy.score < intact.score && !isExact(fuzzy));
});

// A page's structure as dom-text.js reports it (blocks and what the stored
// XPath range resolves to), written out by hand for text-only tests.
function structureOf(blocks, resolved) {
  return {
    blockAt: (offset) => blocks.find((block) => offset >= block.start && offset < block.end)?.kind ?? null,
    storedBlock: (range) => (range.startContainer.includes("aside") ? "p@aside" : "p"),
    resolve: () => resolved,
  };
}

function pageOf(parts) {
  let text = "";
  const blocks = [];
  for (const [kind, words] of parts) {
    if (text) text += "\n\n";
    blocks.push({ kind, start: text.length, end: text.length + words.length });
    text += words;
  }
  return { text, blocks };
}

test("a pull quote repeating the paragraph at the old position loses to the paragraph the stored range resolves to", () => {
  const paragraph = PARAGRAPHS[3];
  const quote = "the northern breakwater needs repairs";
  const before = pageOf(PARAGRAPHS.map((p) => ["p", p]));
  const selector = { ...selectorIn(before.text, quote), range: { startContainer: "/html[1]/body[1]/article[1]/p[4]", startOffset: 22, endContainer: "/html[1]/body[1]/article[1]/p[4]", endOffset: 59 } };
  // The same paragraph, set as a pull quote, now stands where it stood.
  const after = pageOf([...PARAGRAPHS.slice(0, 3).map((p) => ["p", p]), ["p@aside", paragraph], ...PARAGRAPHS.slice(3).map((p) => ["p", p])]);
  const real = after.blocks[4];
  const structure = structureOf(after.blocks, { start: real.start + 22, end: real.start + 59 });
  const found = anchor(after.text, selector, { structure });
  assert.equal(found.start, real.start + paragraph.indexOf(quote));
  // Without the range, the kind of block still tells them apart.
  const byKind = anchor(after.text, selector, { structure: { ...structure, resolve: () => null } });
  assert.equal(byKind.start, real.start + paragraph.indexOf(quote));
});

test("a repeated caption before the paragraph does not take its highlight", () => {
  const paragraph = PARAGRAPHS[1];
  const quote = "the new fees would push small boats";
  const before = pageOf(PARAGRAPHS.map((p) => ["p", p]));
  const selector = { ...selectorIn(before.text, quote), range: { startContainer: "/html[1]/body[1]/p[2]", startOffset: 21, endContainer: "/html[1]/body[1]/p[2]", endOffset: 56 } };
  const after = pageOf([["p", PARAGRAPHS[0]], ["figcaption@figure", paragraph], ...PARAGRAPHS.slice(1).map((p) => ["p", p])]);
  const real = after.blocks[2];
  const found = anchor(after.text, selector, { structure: structureOf(after.blocks, null) });
  assert.equal(found.start, real.start + paragraph.indexOf(quote));
});
