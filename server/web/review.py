"""The daily review, driven by keys: n (next), f (favorite), e (edit note), o (open page)."""

from flask import redirect, render_template, request, url_for
from flask_login import login_required

from ..db import db
from ..models import COLORS
from ..services import review
from ..services.errors import Invalid
from .blueprint import back, bp, user_id


@bp.get("/review")
@login_required
def review_day():
    today = review.day(db.session, user_id())
    shown = [h.id for h in today.done + today.pending]
    return render_template("review.html", day=today, size=review.DAILY, colors=COLORS,
                           favorites=review.favorites(db.session, shown))


@bp.post("/review/<uuid>/next")
@login_required
def review_next(uuid: str):
    review.mark_reviewed(db.session, user_id(), uuid)
    db.session.commit()
    return redirect(url_for("web.review_day"))


@bp.post("/highlights/<uuid>/favorite")
@login_required
def favorite(uuid: str):
    value = request.form.get("favorite")
    if value not in ("0", "1"):
        raise Invalid("Send favorite=1 to make it a favorite, favorite=0 to unmake it.")
    review.set_favorite(db.session, user_id(), uuid, value == "1")
    db.session.commit()
    return back("web.review_day")
