"""Settings: the password, API tokens (made and shown once, listed, revoked) and setting up the extension."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user

from ..db import db
from ..services import tokens, users
from ..services.errors import ServiceError
from .auth import SessionUser
from .blueprint import bp


def _settings(**extra):
    return render_template("settings.html", tokens=tokens.list_tokens(db.session, current_user.user),
                           server_url=request.url_root.rstrip("/"), min_password=users.MIN_PASSWORD,
                           **extra)


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


@bp.post("/settings/password")
@login_required
def change_password():
    """Change one's own password: the current one is required; every other session is signed out,
    this one is signed in again."""
    user = current_user.user
    if users.check_password(db.session, user.username, request.form.get("current", "")) is None:
        return _settings(password_error="The current password is not right; type it again."), 403
    if request.form.get("new", "") != request.form.get("again", ""):
        return _settings(password_error="The two new passwords differ; type the same one twice."), 422
    try:
        users.set_password(db.session, user, request.form.get("new", ""))
    except ServiceError as error:
        db.session.rollback()
        return _settings(password_error=error.message), error.status
    db.session.commit()
    login_user(SessionUser(user))
    flash("Password changed. Your other sessions are signed out; API tokens keep working.")
    return redirect(url_for("web.settings"))
