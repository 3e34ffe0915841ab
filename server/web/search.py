"""Search: best matches first, highlights and pages, with the matching words marked."""

from flask import render_template, request
from flask_login import login_required

from ..db import db
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
    hits = search.hits(db.session, user_id(), q, limit=PER_PAGE + 1, offset=offset)
    return render_template("search.html", q=q, hits=hits[:PER_PAGE], offset=offset, per_page=PER_PAGE,
                           more=len(hits) > PER_PAGE)
