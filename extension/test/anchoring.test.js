import { test } from "node:test";
import assert from "node:assert/strict";
import { anchor, describe, locate, normalize, CONTEXT_LENGTH } from "../src/shared/anchoring.js";

const ARTICLE = [
  "Attention is a resource. Every page competes for it, and most pages lose.",
  "As we have seen, attention is the scarcest resource of the modern reader.",
  "Herbert Simon said so in 1971: a wealth of information creates a poverty of attention.",
  "Attention is a resource, he wrote, and it is spent whether we like it or not.",
].join("\n\n");

function selectorOf(text, quote, occurrence = 0) {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) at = text.indexOf(quote, at + 1);
  assert.notEqual(at, -1, `${quote} is in the text`);
  return describe(text, at, at + quote.length);
}

test("describe keeps 32 characters of context on each side and the position", () => {
  const selector = selectorOf(ARTICLE, "the scarcest resource");
  assert.equal(CONTEXT_LENGTH, 32);
  assert.equal(selector.quote.exact, "the scarcest resource");
  assert.equal(selector.quote.prefix.length, 32);
  assert.equal(selector.quote.suffix.length, 32);
  assert.ok(ARTICLE.slice(0, selector.position.start).endsWith(selector.quote.prefix));
  assert.ok(ARTICLE.slice(selector.position.end).startsWith(selector.quote.suffix));
});

test("an unchanged text anchors by position", () => {
  const selector = selectorOf(ARTICLE, "poverty of attention");
  assert.deepEqual(anchor(ARTICLE, selector), { ...selector.position, method: "position", score: 1 });
});

test("a repeated quote lands on the occurrence whose context matches, after the text moved", () => {
  const selector = selectorOf(ARTICLE, "Attention is a resource", 1);
  const changed = "A new first paragraph.\n\n" + ARTICLE;
  const found = anchor(changed, selector);
  assert.equal(found.method, "quote");
  assert.equal(found.start, changed.lastIndexOf("Attention is a resource"));
});

test("with the same context everywhere, the occurrence nearest the old position wins", () => {
  const block = "the same words again and again. ";
  const text = block.repeat(50);
  const selector = describe(text, block.length * 20, block.length * 20 + 14);
  const shifted = "xx" + text;
  const found = anchor(shifted, selector);
  assert.equal(found.start, block.length * 20 + 2);
});

test("context beats nearness for a repeated quote", () => {
  const text = "alpha beta gamma. the cat sat. delta epsilon. the cat sat. zeta eta theta.";
  const first = text.indexOf("the cat sat");
  const second = text.lastIndexOf("the cat sat");
  const selector = describe(text, first, first + 11);
  // The old position is now next to the other occurrence.
  const found = anchor(text, { ...selector, position: { start: second - 2, end: second + 9 } });
  assert.equal(found.start, first);
});

test("whitespace and case differences anchor as normalized, mapped back to the original", () => {
  const selector = selectorOf(ARTICLE, "wealth of information creates");
  const changed = ARTICLE.replace("wealth of information creates", "Wealth  of\n information\tcreates");
  const found = anchor(changed, selector);
  assert.equal(found.method, "normalized");
  assert.equal(changed.slice(found.start, found.end), "Wealth  of\n information\tcreates");
});

test("combining marks and precomposed letters are the same letters", () => {
  const precomposed = "Le café est fermé aujourd'hui, dit-elle.";
  const decomposed = precomposed.normalize("NFD");
  const selector = selectorOf(precomposed, "café est fermé");
  const found = anchor(decomposed, selector);
  assert.equal(found.method, "normalized");
  assert.equal(decomposed.slice(found.start, found.end), "café est fermé".normalize("NFD"));
  assert.equal(normalize("Ça Va"), "ca va");
});

test("emoji are never cut in half", () => {
  const text = "We laughed 😂😂 and then we cried 😢 for an hour.";
  const selector = selectorOf(text, "😂😂 and then");
  const found = anchor(text.replace("laughed", "laughed so"), selector);
  assert.equal(found.method, "quote");
  const edited = text.replace("and then", "and than");
  const fuzzy = anchor(edited, selector);
  assert.equal(fuzzy.method, "fuzzy");
  assert.equal(edited.slice(fuzzy.start, fuzzy.end), "😂😂 and than");
  const cut = describe(text, 13, 20);
  assert.doesNotMatch(cut.quote.prefix, /^[\udc00-\udfff]/);
});

test("right-to-left text anchors like any other", () => {
  const text = "مرحبا بالعالم. هذا نص عربي طويل للاختبار. شكرا لكم على القراءة.";
  const selector = selectorOf(text, "نص عربي طويل");
  const changed = "مقدمة جديدة. " + text;
  const found = anchor(changed, selector);
  assert.equal(changed.slice(found.start, found.end), "نص عربي طويل");
  const hebrew = "שלום עולם. זה טקסט בעברית לבדיקה.";
  const hebrewSelector = selectorOf(hebrew, "טקסט בעברית");
  const reworded = hebrew.replace("טקסט בעברית", "טקסט בעבריט");
  const fuzzy = anchor(reworded, hebrewSelector);
  assert.equal(fuzzy.method, "fuzzy");
  assert.equal(reworded.slice(fuzzy.start, fuzzy.end), "טקסט בעבריט");
});

test("slightly changed words anchor approximately", () => {
  const selector = selectorOf(ARTICLE, "attention is the scarcest resource of the modern reader");
  const changed = ARTICLE.replace("scarcest resource of the modern", "scarcest resource for the modern");
  const found = anchor(changed, selector);
  assert.equal(found.method, "fuzzy");
  assert.equal(changed.slice(found.start, found.end), "attention is the scarcest resource for the modern reader");
  assert.ok(found.score > 0.8 && found.score < 1);
});

test("an approximate match far from the old position is found through an intact piece", () => {
  const filler = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(400);
  const text = "The quick brown fox jumps over the lazy dog near the river bank. " + filler;
  const selector = selectorOf(text, "quick brown fox jumps over the lazy dog");
  const moved = filler + "The quick brown fox jumped over the lazy dog near the river bank.";
  const found = anchor(moved, selector);
  assert.equal(found.method, "fuzzy");
  assert.equal(moved.slice(found.start, found.end), "quick brown fox jumped over the lazy dog");
});

test("words that are gone make an orphan", () => {
  const selector = selectorOf(ARTICLE, "Herbert Simon said so in 1971");
  const changed = ARTICLE.replace(/Herbert Simon[^\n]*/, "Something else entirely, about gardening and tomatoes.");
  assert.equal(anchor(changed, selector), null);
  assert.equal(anchor("", selector), null);
  assert.equal(anchor(ARTICLE, { quote: { exact: "" } }), null);
});

test("a very long quote anchors exactly, and approximately after an edit in its middle", () => {
  const paragraph = Array.from({ length: 60 }, (_, i) => `Sentence number ${i} says something of its own.`).join(" ");
  const text = "Intro. " + paragraph + " Outro.";
  const selector = selectorOf(text, paragraph);
  assert.ok(paragraph.length > 2000);
  const moved = "A new intro paragraph. " + text;
  assert.equal(anchor(moved, selector).method, "quote");
  const edited = moved.replace("number 30 says", "number thirty says");
  const found = anchor(edited, selector);
  assert.equal(found.method, "fuzzy");
  assert.equal(edited.slice(found.start, found.end), paragraph.replace("number 30 says", "number thirty says"));
});

test("a selector without a position still anchors by quote and context", () => {
  const { quote } = selectorOf(ARTICLE, "Attention is a resource", 1);
  const found = anchor(ARTICLE, { quote });
  assert.equal(found.start, ARTICLE.lastIndexOf("Attention is a resource"));
});

test("the quote with a typo fixed at its old place beats the same words intact elsewhere", () => {
  const passage = "Los Angeles Lakers' LeBron James dunks during the first half of the game. ";
  const filler = "Other words fill the space between the two captions of this page. ".repeat(20);
  const text = passage + filler + passage;
  const start = text.lastIndexOf("LeBron James dunks");
  const selector = describe(text, start, start + "LeBron James dunks during the first half".length);
  const edited = text.slice(0, start) + text.slice(start).replace("dunks during", "dunks durng");
  const found = anchor(edited, selector);
  assert.equal(found.method, "fuzzy");
  assert.equal(found.start, start);
  // A word changed there, and the words intact elsewhere: which one the user
  // meant cannot be told (a list's items differ so), so neither is drawn.
  const reworded = text.slice(0, start) + text.slice(start).replace("dunks during", "dunks in");
  const { found: none, possible } = locate(reworded, selector);
  assert.equal(none, null);
  assert.equal(possible.ambiguous, true);
});

test("one changed character next to a quote costs its context one character", () => {
  const text = "alpha beta gamma. the cat sat here. delta epsilon zeta. the cat sat here. eta theta iota.";
  const first = text.indexOf("the cat sat here");
  const selector = describe(text, first, first + 16);
  const changed = text.replace("gamma. the cat", "gamma! the cat");
  const second = changed.lastIndexOf("the cat sat here");
  const found = anchor(changed, { ...selector, position: { start: second + 3, end: second + 19 } });
  assert.equal(found.start, first);
});
