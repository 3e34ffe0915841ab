"""Plain text of sanitized article HTML, its word count and reading time."""

from __future__ import annotations

import math
import re

from lxml import etree

WORDS_PER_MINUTE = 230
"""Reading speed of an adult reading non-fiction silently (Brysbaert, 2019: 238)."""

# Elements that start a new text block.
BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "header", "footer", "main", "aside",
    "nav", "address", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li",
    "blockquote", "pre", "hr", "table", "caption", "thead", "tbody", "tfoot",
    "tr", "th", "td", "dl", "dt", "dd", "figure", "figcaption", "details",
    "summary",
})

WORD = re.compile(r"\w+")
# The same without lxml.html's element classes, which cost time on big pages.
_PARSER = etree.HTMLParser(encoding="utf-8", huge_tree=True, remove_comments=True, remove_pis=True)
_SPACES = re.compile(r"[^\S\n]+")
_SPACES_AROUND_NEWLINE = re.compile(r" ?\n ?")
_BLANK_LINES = re.compile(r"\n{3,}")


def html_to_text(content_html: str) -> str:
    """Plain text of sanitized HTML.

    Block elements (and so list items) are separated by a blank line,
    ``<br>`` becomes a newline (so two in a row also separate blocks), other
    whitespace is collapsed to one space.
    """
    if not content_html.strip():
        return ""
    try:
        root = etree.fromstring(content_html.encode("utf-8"), parser=_PARSER)
    except etree.LxmlError:
        return ""
    if root is None:
        return ""
    pieces = []
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if element.tag in BLOCK_TAGS:
            pieces.append("\n\n")
        elif element.tag == "br" and event == "start":
            pieces.append("\n")
        # Newlines in the source are plain whitespace; only markup breaks lines.
        if event == "start" and element.text:
            pieces.append(element.text.replace("\n", " "))
        elif event == "end" and element.tail and element is not root:
            pieces.append(element.tail.replace("\n", " "))
    text = _SPACES.sub(" ", "".join(pieces))
    text = _SPACES_AROUND_NEWLINE.sub("\n", text)
    return _BLANK_LINES.sub("\n\n", text).strip()


def word_count(text: str) -> int:
    return len(WORD.findall(text))


def reading_minutes(words: int) -> int:
    """Whole minutes to read `words` words; 0 only for no words at all."""
    return math.ceil(words / WORDS_PER_MINUTE)
