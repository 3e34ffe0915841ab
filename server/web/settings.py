"""Settings: API tokens (made and shown once, listed, revoked) and setting up the extension."""

from flask import redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..db import db
from ..services import tokens
from .blueprint import bp


def _settings(**extra):
    return render_template("settings.html", tokens=tokens.list_tokens(db.session, current_user.user),
                           server_url=request.url_root.rstrip("/"), **extra)


@bp.get("/settings")
@login_required
def settings():
    return _settings()


@bp.post("/settings/tokens")
@login_required
def create_token():
    """Answer with the page itself (no redirect): the new token is in it once, and nowhere else."""
    row, token = tokens.create_token(db.session, current_user.user, request.form.get("name", ""))
    db.session.commit()
    return _settings(new_token=token, new_token_row=row), 200, {"Cache-Control": "no-store"}


@bp.post("/settings/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    tokens.revoke_token(db.session, current_user.user, token_id)
    db.session.commit()
    return redirect(url_for("web.settings"))
