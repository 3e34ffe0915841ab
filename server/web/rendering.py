"""Template filters: Markdown notes and snapshot HTML, always sanitized; only web links kept."""

import html
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

from ..services.search import CLOSE, OPEN
from .blueprint import bp

# Raw HTML in notes is shown as text; a line break in a note is one on screen; links and images keep
# http(s) and mailto only.
_markdown = (MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True})
             .enable("strikethrough").enable("table"))
_CLEANER = nh3.Cleaner(url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer nofollow")


@bp.app_template_filter("markdown")
def markdown(text: str | None) -> Markup:
    """A note as HTML: the one way every page shows a note."""
    return marked_markdown(Markup.escape(text or ""))


@bp.app_template_filter("marked_markdown")
def marked_markdown(marked: Markup) -> Markup:
    """A note as escaped text whose matching words a search put in <mark> (``search.Result.note``), as
    Markdown HTML with those words still marked: no raw ``**`` or ``[](…)`` in a search result."""
    source = html.unescape(str(marked).replace("<mark>", OPEN).replace("</mark>", CLOSE))
    rendered = _markdown.render(source).replace(OPEN, "<mark>").replace(CLOSE, "</mark>")
    return Markup(_CLEANER.clean(rendered))


@bp.app_template_filter("sanitized")
def sanitized(html: str | None) -> Markup:
    """Snapshot HTML is cleaned when stored; cleaning it again here keeps the web view safe on its own."""
    return Markup(_CLEANER.clean(html or ""))


@bp.app_template_filter("web_url")
def web_url(url: str | None) -> str | None:
    """The URL when it is http(s), else None (so no javascript: or data: link is ever made)."""
    if url and urlsplit(url.strip()).scheme.lower() in ("http", "https"):
        return url.strip()
    return None
