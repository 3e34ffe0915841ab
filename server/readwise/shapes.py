"""Margins' pages and highlights as Readwise's books and highlights (dicts the schemas dump)."""

from urllib.parse import urlencode

from flask import request, url_for

from ..models import Highlight, Page
from ..services.catalog import BookStats, Numbered, category_of, is_book
from ..services.exporting.fragments import passage_link as exporting_link


def tags(rows) -> list[dict]:
    return [{"id": tag.id, "name": tag.name} for tag in rows]


def passage_link(highlight: Highlight, page: Page | None) -> str | None:
    """A link that scrolls the web page to the passage; None for books, which have no address."""
    if page is None or is_book(page):
        return None
    return exporting_link(page.url, highlight)


def highlight(row: Highlight) -> dict:
    page = row.page
    book = page is not None and is_book(page)
    location, location_type = _location(row, book)
    return {
        "id": row.id, "text": row.exact, "note": row.note, "location": location, "location_type": location_type,
        "highlighted_at": row.created_at, "created_at": row.created_at, "updated": row.updated_at,
        "url": passage_link(row, page), "color": row.color, "book_id": row.page_id, "tags": tags(row.tags),
    }


def _location(row: Highlight, book: bool) -> tuple[int | None, str | None]:
    """Readwise's location: the page on a PDF, the Kindle location in a book, else none."""
    if row.pdf_page_first is not None:
        return row.pdf_page_first, "page"
    if book and row.position_start is not None:
        return row.position_start, "location"
    return None, None


def export_highlight(row: Highlight) -> dict:
    shaped = highlight(row)
    end = row.pdf_page_last if row.pdf_page_first is not None else row.position_end
    return {**shaped, "updated_at": row.updated_at, "end_location": end if shaped["location"] is not None else None,
            "external_id": row.uuid, "is_favorite": False, "is_discard": False, "readwise_url": _web(row.page)}


def _web(page: Page) -> str:
    return url_for("web.page", page_id=page.id, _external=True)


def book(page: Page, stats: BookStats) -> dict:
    return {
        "id": page.id, "title": page.title, "author": page.author, "category": category_of(page),
        "source": page.site_name, "num_highlights": stats.num_highlights,
        "last_highlight_at": stats.last_highlight_at, "updated": page.updated_at,
        "cover_image_url": page.lead_image, "highlights_url": _web(page),
        "source_url": None if is_book(page) else page.url, "asin": None, "tags": tags(page.tags),
        "document_note": "",
    }


def export_book(page: Page, highlights: list[Highlight]) -> dict:
    source_url = None if is_book(page) else page.url
    return {
        "user_book_id": page.id, "title": page.title, "readable_title": page.title, "author": page.author,
        "source": page.site_name, "cover_image_url": page.lead_image, "unique_url": source_url,
        "source_url": source_url, "category": category_of(page), "document_note": "",
        "readwise_url": _web(page), "asin": None, "book_tags": tags(page.tags),
        "highlights": [export_highlight(row) for row in highlights],
    }


def numbered(result: Numbered, page: int, items: list[dict]) -> dict:
    """A page of results with the addresses of the pages beside it, the query otherwise kept."""
    return {"count": result.count, "next": _page_url(page + 1) if result.has_next else None,
            "previous": _page_url(page - 1) if page > 1 else None, "results": items}


def _page_url(number: int) -> str:
    query = {**request.args.to_dict(), "page": str(number)}
    return f"{request.base_url}?{urlencode(query)}"
