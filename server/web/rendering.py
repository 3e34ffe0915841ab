"""Template filters: Markdown notes and snapshot HTML, always sanitized; only web links kept."""

import html
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from markupsafe import Markup

from ..services.importing.books import BOOKS_HOST
from ..services.markdown_text import CLEANER, note_html
from ..services.search import CLOSE, OPEN
from ..wording import counted
from .blueprint import bp


@bp.app_template_filter("markdown")
def markdown(text: str | None) -> Markup:
    """A note as HTML: the one way every page shows a note."""
    return marked_markdown(Markup.escape(text or ""))


@bp.app_template_filter("marked_markdown")
def marked_markdown(marked: Markup) -> Markup:
    """A note as escaped text whose matching words a search put in <mark> (``search.Result.note``), as
    Markdown HTML with those words still marked: no raw ``**`` or ``[](…)`` in a search result."""
    source = html.unescape(str(marked).replace("<mark>", OPEN).replace("</mark>", CLOSE))
    return Markup(note_html(source).replace(OPEN, "<mark>").replace(CLOSE, "</mark>"))


bp.app_template_filter("counted")(counted)


@bp.app_template_filter("sanitized")
def sanitized(html: str | None) -> Markup:
    """Snapshot HTML is cleaned when stored; cleaning it again here keeps the web view safe on its own."""
    return Markup(CLEANER.clean(html or ""))


@bp.app_template_filter("web_url")
def web_url(url: str | None) -> str | None:
    """The URL when it is http(s), else None (so no javascript: or data: link is ever made)."""
    if url and urlsplit(url.strip()).scheme.lower() in ("http", "https"):
        return url.strip()
    return None


@bp.app_template_global("when")
def when(value: datetime | str | None, *, with_time: bool = False) -> Markup:
    """A ``<time>`` with the ISO value, reading as an ISO date (and UTC time) without JavaScript;
    margins.js shows it in the browser's locale and time zone. A date without a time stays that day
    everywhere; text that is no ISO date (a publication date "as found") is shown as it is."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            return Markup.escape(value)
    if value is None:
        return Markup("")
    if isinstance(value, datetime) and value.tzinfo is None and value.time() == datetime.min.time():
        value = value.date()
    if not isinstance(value, datetime):
        return Markup('<time datetime="{0}" data-format="day">{0}</time>').format(date.isoformat(value))
    shown = value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC" if with_time else "%Y-%m-%d")
    return Markup('<time datetime="{}" data-format="{}">{}</time>').format(
        value.isoformat(), "moment" if with_time else "date", shown)


@bp.app_template_global("is_book")
def is_book(page) -> bool:
    """A book's page (imported from Kindle or Readwise) has a made-up address: show its author, no link."""
    return page.domain == BOOKS_HOST
