"""The Readwise API v2 endpoints: thin views over services.intake and services.catalog."""

import json

import flask_smorest
from flask import g, request
from marshmallow import missing
from webargs.flaskparser import FlaskParser

from ..db import db
from ..request_body import sent_address
from ..services import catalog, intake
from ..services import highlights as highlight_service
from ..services.catalog import Period
from . import shapes
from .errors import detail
from .schemas import (
    BookListSchema,
    BookQuerySchema,
    BookSchema,
    ErrorSchema,
    ExportQuerySchema,
    ExportSchema,
    HighlightListSchema,
    HighlightPatchSchema,
    HighlightQuerySchema,
    HighlightSchema,
    PushedBookSchema,
    PushSchema,
    TagListSchema,
    TagNameSchema,
    TagSchema,
)

BODY_METHODS = ("POST", "PATCH", "PUT")


class ReadBodyParser(FlaskParser):
    """Bodies are read once, before the views, by ``read_json_body`` (which answers bad JSON itself)."""

    def _raw_load_json(self, req):
        return g.get("readwise_body", missing)


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = ReadBodyParser()

    def route(self, rule, **options):
        """Routes answer with or without the trailing slash (clients spell them both ways)."""
        register = super().route(rule, strict_slashes=False, **options)

        def decorator(view):
            view = self.alt_response(401, schema=ErrorSchema, description="No token, or an unknown or revoked one.")(view)
            return register(view)

        return decorator


blp = Blueprint("readwise", __name__, description="Readwise API v2: books and highlights for reading apps.")


def refuse_unreadable_address():
    if sent_address(request.environ) is None:
        return detail(400, "The path or query has bytes that are not UTF-8 text; percent-encode UTF-8 text.")
    return None


def read_json_body():
    """before_request hook: a body is JSON; bad JSON is refused here, in Readwise's words."""
    if request.method not in BODY_METHODS:
        return None
    if not request.is_json:
        return detail(415, f"Unsupported media type {request.mimetype or 'none'!r}: send the body as JSON "
                           "with 'Content-Type: application/json'.")
    try:
        g.readwise_body = json.loads(request.get_data())
    except (ValueError, RecursionError):  # bad JSON or UTF-8, huge numbers, deep nesting
        return detail(400, "JSON parse error: the body is not valid JSON (or not UTF-8); check quoting and commas.")
    return None


def _stats_of(pages) -> dict:
    return catalog.book_stats(db.session, [page.id for page in pages])


@blp.route("/auth/", methods=["GET"])
@blp.response(204, description="The token is good.")
def check_token():
    """Check a token: 204 when it is good, 401 otherwise."""
    return ""


@blp.route("/highlights/", methods=["POST"])
@blp.arguments(PushSchema)
@blp.response(200, PushedBookSchema(many=True), description="The books the highlights landed on.")
@blp.alt_response(400, schema=ErrorSchema, description="A highlight is not valid; field messages by position.")
@blp.alt_response(413, schema=ErrorSchema, description=f"More than {intake.MAX_BATCH} highlights, or a body "
                                                       "larger than the server takes; nothing was stored.")
@blp.alt_response(429, schema=ErrorSchema, description="Too many writes with this token; see Retry-After.")
def push_highlights(body):
    """Push highlights (at most 2000 per request), stored whole or not at all.

    The same text at the same location of the same book is the same
    highlight: pushing it again updates it instead of adding another.
    """
    books = intake.push(db.session, g.user_id, body["highlights"])
    stats = _stats_of([book.page for book in books])
    db.session.commit()
    return [{**shapes.book(book.page, stats[book.page.id]), "modified_highlights": book.highlight_ids}
            for book in books]


@blp.route("/highlights/", methods=["GET"])
@blp.arguments(HighlightQuerySchema, location="query")
@blp.response(200, HighlightListSchema)
def list_highlights(query):
    """List highlights, in the order they were made, a page at a time."""
    result = catalog.list_highlights(
        db.session, g.user_id, book_id=query.get("book_id"),
        updated=Period(query.get("updated__gt"), query.get("updated__lt")),
        highlighted=Period(query.get("highlighted_at__gt"), query.get("highlighted_at__lt")),
        page=query["page"], page_size=query["page_size"])
    return shapes.numbered(result, query["page"], [shapes.highlight(row) for row in result.items])


@blp.route("/highlights/<int:highlight_id>/", methods=["GET"])
@blp.response(200, HighlightSchema)
@blp.alt_response(404, schema=ErrorSchema, description="No such highlight of this token's user.")
def get_highlight(highlight_id):
    """One highlight."""
    return shapes.highlight(catalog.get_highlight(db.session, g.user_id, highlight_id))


@blp.route("/highlights/<int:highlight_id>/", methods=["PATCH"])
@blp.arguments(HighlightPatchSchema)
@blp.response(200, HighlightSchema)
@blp.alt_response(404, schema=ErrorSchema, description="No such highlight of this token's user.")
def update_highlight(body, highlight_id):
    """Change a highlight's note or color."""
    highlight = catalog.get_highlight(db.session, g.user_id, highlight_id)
    highlight = highlight_service.patch_highlight(db.session, g.user_id, highlight.uuid, **body)
    db.session.commit()
    return shapes.highlight(highlight)


@blp.route("/highlights/<int:highlight_id>/", methods=["DELETE"])
@blp.response(204, description="Deleted (a tombstone stays for the change feed of /api/v1).")
@blp.alt_response(404, schema=ErrorSchema, description="No such highlight of this token's user.")
def delete_highlight(highlight_id):
    """Delete a highlight."""
    highlight = catalog.get_highlight(db.session, g.user_id, highlight_id)
    highlight_service.delete_highlight(db.session, g.user_id, highlight.uuid)
    db.session.commit()
    return ""


@blp.route("/highlights/<int:highlight_id>/tags/", methods=["GET"])
@blp.response(200, TagListSchema)
@blp.alt_response(404, schema=ErrorSchema, description="No such highlight of this token's user.")
def list_highlight_tags(highlight_id):
    """A highlight's tags."""
    tags = shapes.tags(catalog.get_highlight(db.session, g.user_id, highlight_id).tags)
    return {"count": len(tags), "next": None, "previous": None, "results": tags}


@blp.route("/highlights/<int:highlight_id>/tags/", methods=["POST"])
@blp.arguments(TagNameSchema)
@blp.response(201, TagSchema)
@blp.alt_response(404, schema=ErrorSchema, description="No such highlight of this token's user.")
def add_highlight_tag(body, highlight_id):
    """Tag a highlight (the tag is made when new; names are case-insensitive)."""
    tag = catalog.add_tag(db.session, g.user_id, highlight_id, body["name"])
    db.session.commit()
    return {"id": tag.id, "name": tag.name}


@blp.route("/highlights/<int:highlight_id>/tags/<int:tag_id>/", methods=["DELETE"])
@blp.response(204, description="The highlight no longer carries the tag.")
@blp.alt_response(404, schema=ErrorSchema, description="No such highlight, or it has no such tag.")
def remove_highlight_tag(highlight_id, tag_id):
    """Take a tag off a highlight."""
    catalog.remove_tag(db.session, g.user_id, highlight_id, tag_id)
    db.session.commit()
    return ""


@blp.route("/books/", methods=["GET"])
@blp.arguments(BookQuerySchema, location="query")
@blp.response(200, BookListSchema)
def list_books(query):
    """List books (Margins' pages: books and web pages), most recent activity first."""
    result = catalog.list_books(db.session, g.user_id, category=query.get("category"),
                                updated=Period(query.get("updated__gt"), query.get("updated__lt")),
                                page=query["page"], page_size=query["page_size"])
    stats = _stats_of(result.items)
    return shapes.numbered(result, query["page"], [shapes.book(page, stats[page.id]) for page in result.items])


@blp.route("/books/<int:book_id>/", methods=["GET"])
@blp.response(200, BookSchema)
@blp.alt_response(404, schema=ErrorSchema, description="No such book of this token's user.")
def get_book(book_id):
    """One book."""
    page = catalog.get_book(db.session, g.user_id, book_id)
    return shapes.book(page, _stats_of([page])[page.id])


@blp.route("/export/", methods=["GET"])
@blp.arguments(ExportQuerySchema, location="query")
@blp.response(200, ExportSchema)
def export(query):
    """Books with their highlights, 100 books an answer; follow nextPageCursor for the rest."""
    ids = [int(part) for part in query["ids"].split(",")] if "ids" in query else None
    cursor = int(query["pageCursor"]) if "pageCursor" in query else None
    books, next_cursor = catalog.export(db.session, g.user_id, updated_after=query.get("updatedAfter"),
                                        ids=ids, cursor=cursor)
    return {"count": len(books), "nextPageCursor": next_cursor,
            "results": [shapes.export_book(book.page, book.highlights) for book in books]}
