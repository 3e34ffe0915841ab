import uuid as uuidlib

from flask import g

from ..db import db
from ..models import Highlight
from ..services import highlights
from ..services.errors import Invalid
from .blueprint import Blueprint
from .schemas import (
    ErrorSchema,
    FeedQuerySchema,
    HighlightPageSchema,
    HighlightPatchSchema,
    HighlightPutSchema,
    HighlightSchema,
)

blp = Blueprint("highlights", __name__, description="Highlights: idempotent writes by client UUID, and the change feed.")


#: The id in the path, as documented (_uuid checks it).
HIGHLIGHT_ID = [{"in": "path", "name": "highlight_id", "description": "The highlight's UUID, made by the client.",
                 "schema": {"type": "string", "format": "uuid"}}]
NOT_A_UUID = "The id in the path is not a UUID."


def _uuid(value: str) -> str:
    try:
        return str(uuidlib.UUID(value))
    except ValueError:
        raise Invalid(f"{value[:40]!r} is not a UUID; the client makes one per highlight "
                      "(crypto.randomUUID()).", {"id": ["not a UUID"]}) from None


def _content_fields(body: dict) -> dict:
    return {**Highlight.selector_columns(body["quote"], body.get("position"), body.get("range"),
                                          body.get("pages")),
            "color": body["color"], "note": body["note"]}


@blp.route("/highlights/<highlight_id>", methods=["PUT"], parameters=HIGHLIGHT_ID)
@blp.arguments(HighlightPutSchema())  # an instance, made once: webargs would make one (and its nested ones) a request
@blp.response(200, HighlightSchema, description="Replaced (or unchanged: the same PUT again changes nothing).")
@blp.alt_response(201, schema=HighlightSchema, description="Created.")
def put_highlight(body, highlight_id):
    """Create or replace a highlight by its client-made UUID.

    Safe to retry: sending the same body again gives the same single
    highlight. The page is found, or made, by the URL's key.
    """
    highlight, created = highlights.put_highlight(
        db.session, g.user_id, _uuid(highlight_id),
        url=body["url"], title=body.get("title"), fields=_content_fields(body),
        tags=body["tags"], created_at=body.get("created_at"),
    )
    db.session.commit()
    return highlight, 201 if created else 200


@blp.route("/highlights/<highlight_id>", parameters=HIGHLIGHT_ID)
@blp.response(200, HighlightSchema)
@blp.alt_response(422, schema=ErrorSchema, description=NOT_A_UUID)
def get_highlight(highlight_id):
    """One live highlight."""
    return highlights.get_highlight(db.session, g.user_id, _uuid(highlight_id))


@blp.route("/highlights/<highlight_id>", methods=["PATCH"], parameters=HIGHLIGHT_ID)
@blp.arguments(HighlightPatchSchema())
@blp.response(200, HighlightSchema)
def patch_highlight(body, highlight_id):
    """Change a highlight's color, note or tags."""
    highlight = highlights.patch_highlight(db.session, g.user_id, _uuid(highlight_id), **body)
    db.session.commit()
    return highlight


@blp.route("/highlights/<highlight_id>", methods=["DELETE"], parameters=HIGHLIGHT_ID)
@blp.response(204)
@blp.alt_response(422, schema=ErrorSchema, description=NOT_A_UUID)
def delete_highlight(highlight_id):
    """Delete a highlight; it stays in the feed as a tombstone. Deleting twice is fine."""
    highlights.delete_highlight(db.session, g.user_id, _uuid(highlight_id))
    db.session.commit()


@blp.route("/highlights")
@blp.arguments(FeedQuerySchema(), location="query")
@blp.response(200, HighlightPageSchema)
def feed(query):
    """Highlights in the order they changed, tombstones included: the sync feed.

    Filters narrow it (tag, color and q return live highlights only). Follow
    next_cursor until it is null, then keep sync_cursor and ask with it
    later to get only what changed since.
    """
    if "page" in query:
        query["page_id"] = query.pop("page")
    return highlights.feed(db.session, g.user_id, **query)
