"""Text-fragment links (``#:~:text=prefix-,start,end,-suffix``) that scroll the live page to a highlight.

Short quotes are written whole as ``start``; long ones as their first and
last words (``start`` and ``end``), which browsers match faster and which
survive small edits in between. ``prefix`` and ``suffix`` are a few whole
words of the stored context, so the link finds the right occurrence. No
term crosses a line break: browsers match a term within one block, so a
quote over several lines is linked by its first and last lines' words, and
context stops at the nearest break. Each part is percent-encoded as
``quote(safe="")`` does, ``-`` too, as the syntax asks.

Given the page's stored text (its snapshot's, blocks a line apart; the
``page_text`` of ``fragment_for``), a context term keeps only the words that
text has next to the quote on its line: context stored with the words of two
blocks glued (as the extension's page text had it before it put blocks a line
apart, or as other tools store it) then gives a shorter link that opens, not
a term no browser finds. The extension needs no such step: its context comes
from the live page's text, blocks a line apart.

The extension's "Copy link" follows the same rule
(``extension/src/lib/text-fragment.js``); the vectors in
``tests/fixtures/rules/text-fragments.json`` hold both to it.
"""

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from urllib.parse import quote

from ..placing import find

WHOLE_QUOTE_WORDS = 10
EDGE_WORDS = 5
CONTEXT_WORDS = 3
_LINE_BREAK = re.compile(r"[\n\r\u2028\u2029]")
#: characters left as they are when a URL goes into a Markdown link destination
_URL_SAFE = "%/:=&?~#+!$,;'@*[]"
#: ASCII text percent-encoded by one table (what ``quote(safe="")`` does, and ``-`` too), without quote()
_ASCII_ENCODED = str.maketrans({chr(code): f"%{code:02X}" for code in range(128)
                                if not (chr(code).isalnum() or chr(code) in "_.~")})


@dataclass(frozen=True)
class Fragment:
    prefix: str
    start: str
    end: str
    suffix: str

    def directive(self) -> str:
        parts = [f"{_encode(self.prefix)}-"] if self.prefix else []
        parts.append(_encode(self.start))
        if self.end:
            parts.append(_encode(self.end))
        if self.suffix:
            parts.append(f"-{_encode(self.suffix)}")
        return ":~:text=" + ",".join(parts)


def fragment_for(prefix: str, exact: str, suffix: str, page_text: str | None = None) -> Fragment | None:
    """The fragment of a quote with its context, confirmed by the page's stored text when given
    (:func:`_confirmed`); None when the quote has no words."""
    if _LINE_BREAK.search(exact):
        lines = [words for words in (line.split() for line in _LINE_BREAK.split(exact)) if words]
    else:  # most quotes: one line
        lines = [words] if (words := exact.split()) else []
    if not lines:
        return None
    if len(lines) == 1 and len(lines[0]) <= WHOLE_QUOTE_WORDS:
        start, end = " ".join(lines[0]), ""
    else:
        start, end = " ".join(lines[0][:EDGE_WORDS]), " ".join(lines[-1][-EDGE_WORDS:])
    fragment = Fragment(_context_before(prefix), start, end, _context_after(suffix))
    span = find(page_text, exact, prefix, suffix) if page_text else None
    return _confirmed(fragment, page_text, span) if span else fragment


def _context_before(prefix: str) -> str:
    """The last few whole words before the quote, on its line. Stored context is cut at a
    fixed length, so its outer word may be a piece of one: dropped, unless a break or space
    comes first."""
    lines = _LINE_BREAK.split(prefix)
    if len(lines) > 1:
        prefix = "\n" + lines[-1]
    words = prefix.split()[0 if prefix[:1].isspace() else 1:]
    return " ".join(words[-CONTEXT_WORDS:])


def _context_after(suffix: str) -> str:
    """The first few whole words after the quote, on its line (mirror of _context_before)."""
    lines = _LINE_BREAK.split(suffix)
    if len(lines) > 1:
        suffix = lines[0] + "\n"
    words = suffix.split()
    words = words if suffix[-1:].isspace() else words[:-1]
    return " ".join(words[:CONTEXT_WORDS])


def _confirmed(fragment: Fragment, text: str, span: tuple[int, int]) -> Fragment:
    """The fragment with each context term cut to the words that ``text`` has next to the quote's
    ``span`` on its line (outer words go first)."""
    before, after = _LINE_BREAK.split(text[:span[0]])[-1], _LINE_BREAK.split(text[span[1]:])[0]
    return replace(fragment, prefix=_kept(fragment.prefix, before, last=True),
                   suffix=_kept(fragment.suffix, after, last=False))


def _kept(term: str, line: str, *, last: bool) -> str:
    """The most words of ``term`` that ``line`` ends with (``last``) or starts with, whole words, case aside."""
    line = " ".join(line.split()).casefold()
    words = term.split()
    while words:
        part = " ".join(words).casefold()
        if line == part or (line.endswith(" " + part) if last else line.startswith(part + " ")):
            break
        words = words[1:] if last else words[:-1]
    return " ".join(words)


def fragment_link(url: str, prefix: str, exact: str, suffix: str, page_text: str | None = None) -> str:
    """The page URL (without its own fragment), with the quote's text fragment (its context confirmed
    by the page's stored text when given)."""
    base = markdown_safe_url(url.split("#", 1)[0])
    fragment = fragment_for(prefix, exact, suffix, page_text)
    return f"{base}#{fragment.directive()}" if fragment else base


def passage_link(url: str, highlight, page_text: str | None = None) -> str:
    """The passage where it came from: a PDF opening at its page, a web page scrolled to the quote
    (:func:`fragment_link`, with the page's stored text when given)."""
    if highlight.pdf_page_first is not None:
        return pdf_page_link(url, highlight.pdf_page_first)
    return fragment_link(url, highlight.prefix, highlight.exact, highlight.suffix, page_text)


def pdf_page_link(url: str, page: int) -> str:
    """The PDF's URL opening at ``page`` (RFC 3778's ``#page=N``, which PDF viewers and Margins' own follow)."""
    return f"{markdown_safe_url(url.split('#', 1)[0])}#page={page}"


@lru_cache(maxsize=4096)
def markdown_safe_url(url: str) -> str:
    """The URL with spaces, parentheses, angle brackets and non-ASCII percent-encoded."""
    return quote(url, safe=_URL_SAFE)


class _EncodedWords(dict):
    """ASCII words percent-encoded by the table, each word once: an export's quotes share most of their
    words. Emptied when it holds ``LIMIT`` words, so it stays small (a few MB at most)."""

    LIMIT = 20_000

    def __missing__(self, word: str) -> str:
        if len(self) >= self.LIMIT:
            self.clear()
        encoded = self[word] = word.translate(_ASCII_ENCODED)
        return encoded


_ENCODED_WORDS = _EncodedWords()


def _encode(part: str) -> str:
    """``quote(part, safe="")`` with ``-`` encoded too; ASCII (most quotes) a word at a time, by a
    translation table (:class:`_EncodedWords`)."""
    if part.isascii():
        return "%20".join(map(_ENCODED_WORDS.__getitem__, part.split(" ")))
    return quote(part, safe="").replace("-", "%2D")
