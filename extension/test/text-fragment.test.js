// The text-fragment rule's cases are vectors (tests/fixtures/rules/text-fragments.json,
// run by rules.test.js); here is how Copy link puts the directive on the page's URL.
import { test } from "node:test";
import assert from "node:assert/strict";
import { textFragmentLink } from "../src/lib/text-fragment.js";

test("the link is the page's URL, its own fragment replaced by the directive", () => {
  const link = textFragmentLink("https://example.com/a?b=1#old", { exact: "the scarcest resource", prefix: " is ", suffix: " of " });
  assert.equal(link, "https://example.com/a?b=1#:~:text=is-,the%20scarcest%20resource,-of");
});

test("a quote without words links to the page itself", () => {
  assert.equal(textFragmentLink("https://example.com/a#old", { exact: " \n " }), "https://example.com/a");
});
