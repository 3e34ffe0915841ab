"""The library: pages, newest activity first, filtered by tag, color and site."""

from flask import render_template, request
from flask_login import login_required

from ..db import db
from ..models import COLORS
from ..services import library, pages
from ..services.errors import Invalid
from ..services.limits import MAX_DOMAIN
from ..services.tags import MAX_TAG_LENGTH
from .blueprint import bp, user_id


def library_filters() -> dict:
    color = request.args.get("color", "")
    filters = {
        "tag": request.args.get("tag", "").strip(),
        "color": color if color in COLORS else "",
        "site": request.args.get("site", "").strip(),
    }
    for name, longest in (("tag", MAX_TAG_LENGTH), ("site", MAX_DOMAIN)):
        if len(filters[name]) > longest:
            raise Invalid(f"No {name} is longer than {longest} characters; this one has {len(filters[name]):,}.")
    return filters


@bp.get("/", endpoint="library")
@login_required
def library_index():
    filters = library_filters()
    items, next_cursor = pages.list_pages(
        db.session, user_id(), tag=filters["tag"] or None, color=filters["color"] or None,
        domain=filters["site"] or None, cursor=request.args.get("cursor") or None, limit=20)
    ids = [page.id for page in items]
    return render_template(
        "library.html", pages=items, filters=filters, next_cursor=next_cursor, colors=COLORS,
        counts=pages.highlight_counts(db.session, ids),
        previews=library.previews(db.session, user_id(), ids, color=filters["color"] or None,
                                  tag=filters["tag"] or None),
    )
