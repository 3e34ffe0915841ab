"""Tags with counts; one tag's highlights grouped by page; rename and merge."""

from flask import redirect, render_template, request, url_for
from flask_login import login_required

from ..db import db
from ..models import COLORS
from ..services import library, review, tags
from .blueprint import bp, user_id


@bp.get("/tags")
@login_required
def tag_list():
    return render_template("tags.html", tags=tags.list_tags(db.session, user_id()))


@bp.get("/tags/<int:tag_id>")
@login_required
def tag(tag_id: int):
    tag = tags.get_tag(db.session, user_id(), tag_id)
    groups = library.highlights_by_page(db.session, user_id(), tag)
    shown = [h.id for _, items in groups for h in items]
    return render_template("tag.html", tag=tag, groups=groups, colors=COLORS,
                           others=[t for t in tags.list_tags(db.session, user_id()) if t["id"] != tag.id],
                           favorites=review.favorites(db.session, shown))


@bp.post("/tags/<int:tag_id>/rename")
@login_required
def rename_tag(tag_id: int):
    """Rename; a name another tag already has merges this tag into that one (the merge form sends it)."""
    survivor, _ = tags.rename_tag(db.session, user_id(), tag_id, request.form.get("name", ""))
    db.session.commit()
    return redirect(url_for("web.tag", tag_id=survivor.id))
