import { test } from "node:test";
import assert from "node:assert/strict";
import { textFragmentLink } from "../src/lib/text-fragment.js";

test("a short quote is linked whole, with whole words of context", () => {
  const link = textFragmentLink("https://example.com/a#old", {
    exact: "the scarcest resource",
    prefix: "s we have seen, attention is ",
    suffix: " of the modern reader. Every p",
  });
  assert.equal(link, "https://example.com/a#:~:text=seen%2C%20attention%20is-,the%20scarcest%20resource,-of%20the%20modern");
});

test("dashes, commas and ampersands in the text are percent-encoded", () => {
  const link = textFragmentLink("https://example.com/", { exact: "rock-solid, fast & small" });
  assert.equal(link, "https://example.com/#:~:text=rock%2Dsolid%2C%20fast%20%26%20small");
});

test("a long quote is linked by its first and last words", () => {
  const exact = "one two three four five six seven eight nine ten eleven twelve";
  const link = textFragmentLink("https://example.com/", { exact });
  assert.equal(link, "https://example.com/#:~:text=one%20two%20three%20four,nine%20ten%20eleven%20twelve");
});
