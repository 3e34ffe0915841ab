"""Text-fragment links (``#:~:text=prefix-,start,end,-suffix``) that scroll the live page to a highlight.

Short quotes are written whole as ``start``; long ones as their first and
last words (``start`` and ``end``), which browsers match faster and which
survive small edits in between. ``prefix`` and ``suffix`` are a few whole
words of the stored context, so the link finds the right occurrence. Each
part is percent-encoded, ``-``, ``,`` and ``&`` included, as the syntax asks.
"""

from dataclasses import dataclass
from urllib.parse import quote

WHOLE_QUOTE_WORDS = 10
EDGE_WORDS = 5
CONTEXT_WORDS = 3
#: characters left as they are when a URL goes into a Markdown link destination
_URL_SAFE = "%/:=&?~#+!$,;'@*[]"


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


def fragment_for(prefix: str, exact: str, suffix: str) -> Fragment | None:
    """The fragment of a quote with its context; None when the quote has no words."""
    words = exact.split()
    if not words:
        return None
    if len(words) <= WHOLE_QUOTE_WORDS:
        start, end = " ".join(words), ""
    else:
        start, end = " ".join(words[:EDGE_WORDS]), " ".join(words[-EDGE_WORDS:])
    # Stored context is cut at a fixed length, so its outer word may be a piece of one: dropped.
    before = prefix.split()[0 if prefix[:1].isspace() else 1:]
    after = suffix.split()
    after = after if suffix[-1:].isspace() else after[:-1]
    return Fragment(" ".join(before[-CONTEXT_WORDS:]), start, end, " ".join(after[:CONTEXT_WORDS]))


def fragment_link(url: str, prefix: str, exact: str, suffix: str) -> str:
    """The page URL (without its own fragment), with the quote's text fragment."""
    base = markdown_safe_url(url.split("#", 1)[0])
    fragment = fragment_for(prefix, exact, suffix)
    return f"{base}#{fragment.directive()}" if fragment else base


def markdown_safe_url(url: str) -> str:
    """The URL with spaces, parentheses, angle brackets and non-ASCII percent-encoded."""
    return quote(url, safe=_URL_SAFE)


def _encode(part: str) -> str:
    return quote(part, safe="").replace("-", "%2D")
