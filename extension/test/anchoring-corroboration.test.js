// An approximate match is drawn only when something besides its resemblance
// to the quote ties it to the highlight (its context, its old place, the
// stored range), and then well above the threshold; a look-alike, well below
// it. MARGIN is how far the threshold could move without changing any of
// these outcomes (bench/anchoring measures the same on real pages).
import { test } from "node:test";
import assert from "node:assert/strict";
import { describe, locate, THRESHOLD } from "../src/shared/anchoring.js";

const MARGIN = 0.05;

function selectorIn(text, quote) {
  const at = text.indexOf(quote);
  assert.notEqual(at, -1, `${quote} is in the text`);
  return describe(text, at, at + quote.length);
}

function assertDrawn(text, selector, expected) {
  const { found, possible } = locate(text, selector);
  assert.ok(found, `drawn (best place scored ${possible?.score})`);
  assert.equal(text.slice(found.start, found.end), expected);
  assert.ok(found.score >= THRESHOLD + MARGIN, `score ${found.score} well above the threshold`);
}

function assertNotDrawn(text, selector, expected) {
  const { found, possible } = locate(text, selector);
  assert.equal(found, null, "not drawn");
  assert.equal(text.slice(possible.start, possible.end), expected, "offered as a possible match");
  assert.ok(possible.score < THRESHOLD - MARGIN, `score ${possible.score} well below the threshold`);
}

// Sections of a programme, each followed by the same heading line.
const HEADING = "Jeongdong Theater Traditional Performance";
const SECTIONS = [
  "The royal court dances opened the evening, and the drums answered from the back of the hall while the lights came up.",
  "Dances paired with beautiful traditional hanbok revealed an even more elegant side of the troupe!",
  "A solo on the gayageum followed, slow at first and then faster, until the strings seemed to run out of notes.",
  "After the interval the younger members took the stage with a mask dance that had the children laughing.",
  "The last piece brought every performer back on stage for a song the audience knew by heart.",
];
const programme = (sections) => sections.map((section) => `${section}\n${HEADING}`).join("\n\n");
const PROGRAMME = programme(SECTIONS);

test("a look-alike far from the old place, with only the context a repeated heading gives it, is not drawn", () => {
  const quote = "paired with beautiful traditional hanbok revealed an even more elegant side of the troupe!";
  const selector = selectorIn(PROGRAMME, quote);
  // The quote's section is gone; a later section now ends with a sentence
  // like it (a few letters changed), so the heading follows it as it followed the quote.
  const lookAlike = "pairec with beautiful tradithonal hanbok revealed an even mhre elegant side of the troupe!";
  const changed = programme([SECTIONS[0], SECTIONS[2], `${SECTIONS[3]} ${lookAlike}`, SECTIONS[4]]);
  assertNotDrawn(changed, selector, lookAlike);
  assert.equal(locate(changed, selector).possible.evidence.uncorroborated, true);
});

test("an edited quote at its old place is drawn with one side of its context changed", () => {
  const quote = "the drums answered from the back of the hall";
  const selector = selectorIn(PROGRAMME, quote);
  const edited = "the drums replied from the back of the hall";
  const changed = PROGRAMME.replace(`${quote} while the lights came up.`, `${edited}, and then everyone stood.`);
  assertDrawn(changed, selector, edited);
});

// Menu items with nothing but white space around them: no context to compare.
const GAP = `\n${" ".repeat(40)}\n`;
const MENU = ["Local News", "News by Neighborhood", "Weather and Traffic", "Classified Marketplace"];

test("with no context to compare, an edited quote is drawn near its old place and not far from it", () => {
  const quote = "News by Neighborhood";
  const selector = selectorIn(MENU.join(GAP), quote);
  const edited = "News b Neighborhood";
  // A few characters earlier on the page changed: still near its old place.
  const near = ["Local News today", edited, ...MENU.slice(2)].join(GAP);
  assertDrawn(near, selector, edited);
  // The same item 2,000 characters away: only its words say it is the quote.
  const far = [MENU[0], ...MENU.slice(2), "Other links".padEnd(2000, "."), edited].join(GAP);
  assertNotDrawn(far, selector, edited);
});

test("the stored range still pointing at an edited quote far from its old place corroborates it", () => {
  const quote = "revealed an even more elegant side of the troupe";
  const selector = { ...selectorIn(PROGRAMME, quote), range: { startContainer: "/html[1]/body[1]/section[2]/p[1]", startOffset: 48, endContainer: "/html[1]/body[1]/section[2]/p[1]", endOffset: 96 } };
  // A new introduction of 390 characters before it, a letter of it changed, and what followed it too.
  const edited = "revealed an even more elegent side of the troupe";
  const changed = "A long new introduction to the season. ".repeat(10)
    + PROGRAMME.replace(`${quote}!\n${HEADING}`, `${edited}, as the programme had promised.`);
  const at = changed.indexOf(edited);
  const structure = { blockAt: () => "p", storedBlock: () => "p", resolve: () => ({ start: at, end: at + edited.length }) };
  assertNotDrawn(changed, selector, edited);
  const { found } = locate(changed, selector, { structure });
  assert.equal(changed.slice(found.start, found.end), edited);
  assert.ok(found.score >= THRESHOLD + MARGIN, `score ${found.score} well above the threshold`);
});

test("a quote's last word replaced by a longer one is placed whole, not cut before it", () => {
  const text = "It was misleading for a serious political party to behave that way.”\nForeign Secretary Dominic Raab said on Sunday.";
  const selector = selectorIn(text, "party to behave that way.”");
  const changed = text.replace("that way", "predictions way");
  assertDrawn(changed, selector, "party to behave predictions way.”");
});
