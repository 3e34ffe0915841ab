"""Search: best matches first, highlights and pages, with the matching words marked."""

from flask import render_template, request
from flask_login import login_required

from ..db import db
from ..models import COLORS
from ..services import search
from ..services.errors import Invalid
from ..services.limits import MAX_QUERY
from .blueprint import bp, user_id

PER_PAGE = 20


@bp.get("/search")
@login_required
def search_view():
    q = request.args.get("q", "").strip()
    if len(q) > MAX_QUERY:
        raise Invalid(f"Search for at most {MAX_QUERY} characters; this search has {len(q):,}.")
    # No result lies past the candidates a search ranks; beyond them an offset only overflows the database's integers.
    offset = min(max(request.args.get("offset", 0, type=int), 0), search.CANDIDATES)
    filters = _filters()
    hits = search.hits(db.session, user_id(), q, limit=PER_PAGE + 1, offset=offset, **filters)
    return render_template("search.html", q=q, hits=hits[:PER_PAGE], offset=offset, per_page=PER_PAGE,
                           more=len(hits) > PER_PAGE, filters=filters, colors=COLORS)


def _filters() -> dict:
    """The form's filters that are set: ``tag``, ``color`` (one of the palette's), ``site``."""
    filters = {name: request.args.get(name, "").strip() for name in ("tag", "color", "site")}
    if filters["color"] and filters["color"] not in COLORS:
        raise Invalid(f"No color is called {filters['color']!r}; pick one of {', '.join(COLORS)}.")
    for name in ("tag", "site"):
        if len(filters[name]) > MAX_QUERY:
            raise Invalid(f"A {name} to search within is at most {MAX_QUERY} characters.")
    return {name: value for name, value in filters.items() if value}
