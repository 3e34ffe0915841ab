// Text-fragment links (#:~:text=…) that make a browser scroll to and mark a
// quote on the live page. Pure.
//
//   textFragmentLink(url, {exact, prefix, suffix}) -> string
//     url without its fragment, plus #:~:text=[prefix-,]start[,end][,-suffix].
//     Quotes of more than LONG_WORDS words are linked by their first and last
//     words (textStart,textEnd); prefix and suffix are the whole words of the
//     context next to the quote.

const LONG_WORDS = 10;
const EDGE_WORDS = 4;
const CONTEXT_WORDS = 3;

function encode(part) {
  return encodeURIComponent(part).replace(/-/g, "%2D").replace(/,/g, "%2C").replace(/&/g, "%26");
}

function words(text) {
  return text.trim().split(/\s+/).filter(Boolean);
}

// The context's whole words nearest the quote (a word cut by the context's edge is left out).
function contextWords(text, side) {
  const list = words(text);
  if (side === "prefix") {
    if (/^\S/.test(text) && list.length > 1) list.shift();
    return list.slice(-CONTEXT_WORDS).join(" ");
  }
  if (/\S$/.test(text) && list.length > 1) list.pop();
  return list.slice(0, CONTEXT_WORDS).join(" ");
}

export function textFragmentLink(url, { exact, prefix = "", suffix = "" }) {
  const base = url.split("#")[0];
  const quoteWords = words(exact);
  const parts = [];
  const before = contextWords(prefix, "prefix");
  if (before) parts.push(`${encode(before)}-`);
  if (quoteWords.length > LONG_WORDS) {
    parts.push(encode(quoteWords.slice(0, EDGE_WORDS).join(" ")), encode(quoteWords.slice(-EDGE_WORDS).join(" ")));
  } else {
    parts.push(encode(quoteWords.join(" ")));
  }
  const after = contextWords(suffix, "suffix");
  if (after) parts.push(`-${encode(after)}`);
  return `${base}#:~:text=${parts.join(",")}`;
}
