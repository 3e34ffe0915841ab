"""Markdown in and out: the one policy for showing a note (Markdown to sanitized HTML), and the one
conversion of HTML (a readable copy, a sanitized note) to Markdown.

The web view shows notes with :func:`note_html`; Markdown exports write them with :func:`safe_note_markdown`,
the same HTML written back as Markdown, so a note exports as the web view shows it: raw HTML as text, links
http(s) and mailto only.
"""

import re

import nh3
from markdown_it import MarkdownIt

#: Raw HTML in notes is shown as text; a line break in a note is one on screen.
NOTE_MARKDOWN = (MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True})
                 .enable("strikethrough").enable("table"))
#: Links and images keep http(s) and mailto only.
CLEANER = nh3.Cleaner(url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer nofollow")
#: a note of one line of words and plain punctuation, starting with a letter, single spaces: no Markdown, no
#: HTML, nothing to escape, so :func:`safe_note_markdown` gives it back as it is (most notes; tested)
_PLAIN = re.compile(r"[^\W\d_](?:[^\W_]|[.,;:!?'\"()/%]| (?! ))*")


def note_html(source: str) -> str:
    """A note's Markdown as the sanitized HTML every view shows."""
    return CLEANER.clean(NOTE_MARKDOWN.render(source))


def html_markdown(html: str, *, escape_text: bool = False) -> str:
    """HTML (already sanitized) as Markdown, ATX headings. ``escape_text``: characters of the text that
    Markdown or Obsidian would read as syntax (``<``, ``[``, ``=``…) are escaped, so text stays text."""
    from markdownify import markdownify  # with BeautifulSoup, 9 MB that only exports and MCP need

    return markdownify(html, heading_style="ATX", escape_misc=escape_text).strip()


def safe_note_markdown(source: str) -> str:
    """A note as Markdown holding only what the web view would show: its formatting (bold, lists, http(s)
    links) kept, raw HTML as escaped text, ``javascript:`` and other links as text."""
    if _PLAIN.fullmatch(source) and not source.endswith(" "):
        return source
    return html_markdown(note_html(source), escape_text=True)
