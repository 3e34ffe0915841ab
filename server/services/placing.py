"""Placing a quote on a stored snapshot's text, and the passage around a highlight.

The server's half of the shared anchoring rules (``extension/src/shared/anchoring.js``),
kept to what cannot draw on words nobody chose:

- the quote is looked for as it is, then in the comparison form anchoring.js
  uses (``normalize``: lowercase, no combining marks, each whitespace run one
  space), and the highlight keeps the snapshot's own text of the match;
- an occurrence counts only when the context given with the quote (words just
  before, just after) is there too, compared the same way, punctuation aside;
- one occurrence left: placed, with CONTEXT_LENGTH characters of context on
  each side, as ``describe()`` keeps them. None: ``QuoteNotFound``. Several:
  ``QuoteAmbiguous``, asking for context that tells them apart.

No approximate (fuzzy) matching and no position: a position counts in the
live page's text, which the snapshot's cleaned text is not, so the extension
and the web view find the highlight by its quote and context alone.
"""

import re
import unicodedata
from dataclasses import dataclass

from .errors import Invalid

CONTEXT_LENGTH = 32  # anchoring.js CONTEXT_LENGTH
PASSAGE = 300  # characters of text on each side of a highlight in its passage
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


class QuoteNotFound(Invalid):
    code = "quote_not_found"


class QuoteAmbiguous(Invalid):
    code = "quote_ambiguous"


@dataclass(frozen=True)
class Placement:
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


class Folded:
    """A text in anchoring.js's comparison form, with each folded character's span in the original."""

    def __init__(self, source: str):
        parts, starts, ends = [], [], []
        i = 0
        while i < len(source):
            if source[i].isspace():
                j = i + 1
                while j < len(source) and source[j].isspace():
                    j += 1
                piece, span = " ", (i, j)
            else:
                j = i + 1
                piece = "".join(c for c in unicodedata.normalize("NFD", source[i])
                                if not unicodedata.category(c).startswith("M")).lower()
                span = (i, j)
            parts.append(piece)
            starts += [span[0]] * len(piece)
            ends += [span[1]] * len(piece)
            i = j
        self.source, self.text, self._starts, self._ends = source, "".join(parts), starts, ends

    def original(self, start: int, end: int) -> tuple[int, int]:
        """The original span of folded text[start:end] (combining marks after it included)."""
        last = self._ends[end - 1]
        while last < len(self.source) and unicodedata.category(self.source[last]).startswith("M"):
            last += 1
        return self._starts[start], last


def fold(text: str) -> str:
    return Folded(text).text


def _occurrences(haystack: str, needle: str):
    start = haystack.find(needle)
    while start != -1:
        yield start
        start = haystack.find(needle, start + 1)


def _spans(text: str, quote: str) -> list[tuple[int, int]]:
    exact = [(start, start + len(quote)) for start in _occurrences(text, quote)]
    if exact:
        return exact
    folded, needle = Folded(text), fold(quote).strip()
    if not needle:
        return []
    return sorted({folded.original(start, start + len(needle)) for start in _occurrences(folded.text, needle)})


def _words(text: str) -> str:
    return " ".join(_WORD.findall(fold(text)))


def _fits(text: str, span: tuple[int, int], before: str, after: str) -> bool:
    """Whether the words of ``before`` end just before the span and those of ``after`` start just after it
    (punctuation and spacing between them aside)."""
    start, end = span
    before, after = _words(before), _words(after)
    return ((not before or _words(text[max(0, start - len(before) * 2 - 8):start]).endswith(before))
            and (not after or _words(text[end:end + len(after) * 2 + 8]).startswith(after)))


def place(text: str, quote: str, before: str = "", after: str = "") -> Placement:
    """Where ``quote`` (with the context ``before`` and ``after`` it, when given) is in ``text``."""
    if not quote.strip():
        raise Invalid("The quote is empty; give the words to highlight, as the page has them.", {"quote": ["empty"]})
    spans = [span for span in _spans(text, quote) if _fits(text, span, before, after)]
    if not spans:
        raise QuoteNotFound(
            "The quote is not in the page's stored text" + (" with that context" if before or after else "")
            + "; copy it from the page exactly (get_page shows the text around each highlight).",
            {"quote": ["not found"]})
    if len(spans) > 1:
        raise QuoteAmbiguous(
            f"The quote occurs {len(spans)} times in the page's text; give context_before or context_after "
            "(a few words just before or after it) to say which.", {"quote": [f"{len(spans)} occurrences"]})
    start, end = spans[0]
    return Placement(start, end, text[start:end], text[max(0, start - CONTEXT_LENGTH):start],
                     text[end:end + CONTEXT_LENGTH])


def find(text: str, exact: str, prefix: str, suffix: str) -> tuple[int, int] | None:
    """Where a stored highlight is in ``text``: its quote with the most of its context; None when absent."""
    spans = _spans(text, exact)
    for before, after in ((prefix, suffix), (prefix, ""), ("", suffix), ("", "")):
        fitting = [span for span in spans if _fits(text, span, before, after)]
        if fitting:
            return fitting[0]
    return None


def passage(text: str, span: tuple[int, int], around: int = PASSAGE) -> str:
    """The text around a span, cut at word boundaries, the span marked «like this»."""
    start, end = span
    left, right = max(0, start - around), min(len(text), end + around)
    before, after = text[left:start], text[end:right]
    if left > 0:
        before = "…" + before.split(" ", 1)[-1] if " " in before else before
    if right < len(text):
        after = after.rsplit(" ", 1)[0] + "…" if " " in after else after
    return _SPACES.sub(" ", f"{before}«{text[start:end]}»{after}").strip()
