// Tag names as the server stores them (server/services/tags.py), for the
// toolbar's tag input; tests/fixtures/rules/tag-names.json holds both to one
// rule. Pure.
//
//   tagName(raw) -> string     whitespace runs made one space, trimmed, leading
//                              '#'s dropped; "" when nothing is left
//   splitTags(text) -> [name]  "a, b, #c": names in the order typed, empty ones
//                              dropped, a repeated name (any case) kept once

import { SPACE } from "./whitespace.js";

const SPACES = new RegExp(`[${SPACE}]+`, "g");

export function tagName(raw) {
  return String(raw ?? "").replace(SPACES, " ").replace(/^[# ]+/, "").replace(/ $/, "");
}

// Python's casefold() for the names people type (toUpperCase folds ß to SS as it does).
const folded = (name) => name.toUpperCase().toLowerCase();

export function splitTags(text) {
  const names = new Map();
  for (const piece of String(text ?? "").split(",")) {
    const name = tagName(piece);
    if (name && !names.has(folded(name))) names.set(folded(name), name);
  }
  return [...names.values()];
}
