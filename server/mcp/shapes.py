"""What the MCP tools answer: pages, highlights and search results as small, bounded JSON for a model."""

import html

from flask import current_app, has_request_context, request
from markupsafe import Markup

from ..models import Highlight, Page
from ..services import placing
from ..services.catalog import is_book
from ..services.exporting.fragments import passage_link
from ..services.exporting.values import iso_timestamp

#: Longest text of one field in a list; a longer one is cut, and get_highlight gives it whole.
LIST_TEXT = 1000


def cut(text: str, limit: int = LIST_TEXT) -> str:
    return text if len(text) <= limit else text[:limit] + "… [cut: get_highlight gives the whole text]"


def web_link(page_id: int, highlight_uuid: str | None = None) -> str:
    """The page (at the highlight) in the Margins web view; absolute over HTTP, a path over stdio."""
    path = current_app.url_map.bind("").build("web.page", {"page_id": page_id})
    base = request.host_url.rstrip("/") if has_request_context() else ""
    return f"{base}{path}" + (f"#h-{highlight_uuid}" if highlight_uuid else "")


def source_link(highlight: Highlight, page: Page) -> str | None:
    """The passage where it came from (a text-fragment link; a PDF at its page); None for books."""
    if is_book(page):
        return None
    return passage_link(page.url, highlight)


def page(row: Page, highlight_count: int | None = None) -> dict:
    shaped = {
        "page_id": row.id, "title": row.title, "url": None if is_book(row) else row.url,
        "kind": "book" if is_book(row) else "web page", "author": row.author, "site": row.site_name or row.domain,
        "tags": [tag.name for tag in row.tags], "updated_at": iso_timestamp(row.updated_at),
        "margins_link": web_link(row.id),
    }
    if highlight_count is not None:
        shaped["highlight_count"] = highlight_count
    return shaped


def highlight(row: Highlight, *, whole: bool = False, text: str | None = None) -> dict:
    """A highlight; ``text``, the page's stored text, adds the passage around it when it is found there."""
    clip = (lambda value: value) if whole else cut
    shaped = {
        "highlight_id": row.uuid, "page_id": row.page_id, "page_title": row.page.title if row.page else None,
        "quote": clip(row.exact), "note": clip(row.note), "color": row.color,
        "tags": [tag.name for tag in row.tags], "created_at": iso_timestamp(row.created_at),
        "updated_at": iso_timestamp(row.updated_at), "pages": row.pdf_pages,
        "margins_link": web_link(row.page_id, row.uuid) if row.page_id else None,
        "source_link": source_link(row, row.page) if row.page else None,
    }
    if text is not None:
        span = placing.find(text, row.exact, row.prefix, row.suffix)
        shaped["passage"] = placing.passage(text, span) if span else None
    return shaped


def snippet(marked: Markup) -> str:
    """A search snippet as plain text, the matching words in **bold**."""
    return html.unescape(str(marked).replace("<mark>", "**").replace("</mark>", "**"))


def readable_uri(page_id: int, part: int = 1) -> str:
    return f"margins://pages/{page_id}/readable/{part}"
