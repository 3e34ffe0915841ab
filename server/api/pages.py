from flask import g

from ..db import db
from ..services import pages, snapshots
from ..services.errors import NotFound
from .blueprint import Blueprint
from .schemas import (
    PageDetailSchema,
    PageListQuerySchema,
    PageListSchema,
    PagePatchSchema,
    PageSchema,
    PageUpsertSchema,
    SnapshotSchema,
)

blp = Blueprint("pages", __name__, description="Pages you highlighted or saved, with snapshots.")


def _summary(page):
    return {"page": page, "highlight_count": pages.highlight_counts(db.session, [page.id]).get(page.id, 0)}


@blp.route("/pages", methods=["PUT"])
@blp.arguments(PageUpsertSchema)
@blp.response(200, PageSchema, description="The page was known.")
@blp.alt_response(201, schema=PageSchema, description="The page is new.")
def upsert_page(body):
    """Find or make the page for a URL; with `html`, keep a cleaned snapshot of it.

    The same HTML sent twice is stored once. The page's canonical link
    becomes another URL that leads to the same page.
    """
    page, created = pages.upsert_page(
        db.session, g.user_id, body["url"], title=body.get("title"), html=body.get("html"), tags=body.get("tags"),
    )
    db.session.commit()
    return _summary(page), 201 if created else 200


@blp.route("/pages")
@blp.arguments(PageListQuerySchema, location="query")
@blp.response(200, PageListSchema)
def list_pages(query):
    """Your pages, most recent activity first; follow next_cursor for more."""
    items, next_cursor = pages.list_pages(db.session, g.user_id, **query)
    counts = pages.highlight_counts(db.session, [page.id for page in items])
    return {
        "items": [{"page": page, "highlight_count": counts.get(page.id, 0)} for page in items],
        "next_cursor": next_cursor,
    }


@blp.route("/pages/<int:page_id>")
@blp.response(200, PageDetailSchema)
def get_page(page_id):
    """A page with its highlights in reading order."""
    page = pages.get_page(db.session, g.user_id, page_id)
    highlights = pages.page_highlights(db.session, page)
    return {"page": page, "highlight_count": len(highlights), "highlights": highlights}


@blp.route("/pages/<int:page_id>", methods=["PATCH"])
@blp.arguments(PagePatchSchema)
@blp.response(200, PageSchema)
def patch_page(body, page_id):
    """Rename a page or set its tags."""
    page = pages.update_page(db.session, g.user_id, page_id, **body)
    db.session.commit()
    return _summary(page)


@blp.route("/pages/<int:page_id>", methods=["DELETE"])
@blp.response(204)
def delete_page(page_id):
    """Delete a page and its snapshots; its highlights become tombstones in the feed."""
    pages.delete_page(db.session, g.user_id, page_id)
    db.session.commit()


@blp.route("/pages/<int:page_id>/snapshot")
@blp.response(200, SnapshotSchema)
def get_snapshot(page_id):
    """The newest readable snapshot of a page: cleaned HTML and plain text."""
    page = pages.get_page(db.session, g.user_id, page_id)
    snapshot = snapshots.latest_snapshot(db.session, page)
    if snapshot is None:
        raise NotFound(f"Page {page_id} has no snapshot yet; PUT /api/v1/pages with its html to keep one.")
    return snapshot
