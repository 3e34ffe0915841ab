// Whitespace as the server's Python counts it (str.isspace, and \s in its
// regular expressions), so the rules both sides share split and trim at the
// same characters. JavaScript's \s differs: it includes U+FEFF and leaves out
// U+001C–U+001F and U+0085. Pure.
//
//   SPACE   the characters, for use inside a RegExp character class

export const SPACE = "\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
