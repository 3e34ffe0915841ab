// Text-fragment links (#:~:text=…) that make a browser scroll to and mark a
// quote on the live page: the rule of the server's Markdown export
// (server/services/exporting/fragments.py), so "Copy link" and an exported
// note link a highlight alike; tests/fixtures/rules/text-fragments.json holds
// both to it. Pure.
//
//   textDirective({exact, prefix, suffix}) -> ":~:text=[prefix-,]start[,end][,-suffix]" | null
//     Quotes of more than WHOLE_QUOTE_WORDS words, or over several lines, are
//     linked by their first and last EDGE_WORDS words (textStart,textEnd);
//     prefix and suffix are the whole words of the context next to the quote,
//     on its line (browsers match a term within one block). null when the
//     quote has no words.
//   textDirective(quote, pageText) -> the same, without prefix and suffix
//     when each of the quote's terms occurs once in pageText (dom-text.js
//     textOf: blocks a line apart), as browsers match it: case and runs of
//     whitespace aside. Fewer terms, fewer ways for a link not to open.
//   textFragmentLink(url, quote, pageText?) -> string   url without its fragment, plus the directive

import { SPACE } from "./whitespace.js";

const WHOLE_QUOTE_WORDS = 10;
const EDGE_WORDS = 5;
const CONTEXT_WORDS = 3;
const SPACES = new RegExp(`[${SPACE}]+`);
const STARTS_WITH_SPACE = new RegExp(`^[${SPACE}]`);
const ENDS_WITH_SPACE = new RegExp(`[${SPACE}]$`);
const LINE_BREAK = /[\n\r\u2028\u2029]/;

// As Python's quote(part, safe=""), then "-" too: the syntax's own characters never appear bare.
function encode(part) {
  return encodeURIComponent(part).replace(/[!'()*-]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

function words(text) {
  return text.split(SPACES).filter(Boolean);
}

// Stored context is cut at a fixed length, so its outer word may be a piece of one: dropped,
// unless a break or space comes first.
function contextBefore(prefix) {
  const lines = prefix.split(LINE_BREAK);
  const line = lines.length > 1 ? `\n${lines.pop()}` : prefix;
  const list = words(line).slice(line && !STARTS_WITH_SPACE.test(line) ? 1 : 0);
  return list.slice(-CONTEXT_WORDS).join(" ");
}

function contextAfter(suffix) {
  const lines = suffix.split(LINE_BREAK);
  const line = lines.length > 1 ? `${lines[0]}\n` : suffix;
  const list = words(line);
  if (line && !ENDS_WITH_SPACE.test(line)) list.pop();
  return list.slice(0, CONTEXT_WORDS).join(" ");
}

// Counted over the whole text with its lines joined, so never fewer than a browser finds.
function occursOnce(term, text) {
  const folded = words(text).join(" ").toLowerCase();
  const wanted = term.toLowerCase();
  const first = folded.indexOf(wanted);
  return first !== -1 && folded.indexOf(wanted, first + 1) === -1;
}

export function textDirective({ exact, prefix = "", suffix = "" }, pageText = null) {
  const lines = exact.split(LINE_BREAK).map(words).filter((line) => line.length);
  if (!lines.length) return null;
  const [first, last] = [lines[0], lines[lines.length - 1]];
  const whole = lines.length === 1 && first.length <= WHOLE_QUOTE_WORDS;
  const parts = whole ? [first.join(" ")] : [first.slice(0, EDGE_WORDS).join(" "), last.slice(-EDGE_WORDS).join(" ")];
  const unique = pageText !== null && parts.every((part) => occursOnce(part, pageText));
  const before = unique ? "" : contextBefore(prefix);
  const after = unique ? "" : contextAfter(suffix);
  return `:~:text=${[before && `${encode(before)}-`, ...parts.map(encode), after && `-${encode(after)}`].filter(Boolean).join(",")}`;
}

export function textFragmentLink(url, quote, pageText = null) {
  const base = url.split("#")[0];
  const directive = textDirective(quote, pageText);
  return directive ? `${base}#${directive}` : base;
}
