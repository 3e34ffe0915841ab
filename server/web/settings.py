"""Settings: the password (wrong current ones throttled), connecting a browser with a one-time code,
API tokens (made and shown once, listed, revoked); and the page a connect link opens."""

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_limiter import RequestLimit
from flask_login import current_user, login_required, login_user

from .. import ratelimit
from ..db import db
from ..services import connect_codes, tokens, users
from ..services.errors import ServiceError
from .auth import SessionUser
from .blueprint import bp

NO_STORE = {"Cache-Control": "no-store"}


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
    return _settings(new_token=token, new_token_row=row), 200, NO_STORE


@bp.post("/settings/connect")
@login_required
def make_connect_code():
    """Answer with the page itself: the code is in it once, with its link; the link carries the code in
    its fragment, which browsers never send, so no server or proxy log ever holds it."""
    row, code = connect_codes.make_code(db.session, current_user.user)
    db.session.commit()
    link = f"{url_for('web.connect_page', _external=True)}#code={code}"
    return _settings(connect_code=code, connect_expires=row.expires_at, connect_link=link,
                     connect_minutes=connect_codes.MINUTES), 200, NO_STORE


@bp.get("/connect")
def connect_page():
    """Where a connect link leads: the code (read from the fragment by connect.js) and what to do with it."""
    return render_template("connect.html", server_url=request.url_root.rstrip("/"),
                           minutes=connect_codes.MINUTES)


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


@bp.record_once
def _limit_wrong_passwords(state) -> None:
    """Throttle wrong current passwords per account (MARGINS_RATELIMIT_LOGIN, as sign-ins per address): a
    session left open must not become a way to guess the password. Only the form's 403 counts."""
    app = state.app
    if limit := app.config["MARGINS_RATELIMIT_LOGIN"]:
        ratelimit.limit_failures(app, f"{bp.name}.change_password", limit, key=_account_key,
                                 scope="password-change", failures=(403,), on_breach=_too_many_wrong_passwords)


def _account_key() -> str:
    return f"user-{current_user.id}" if current_user.is_authenticated else "signed-out"


def _too_many_wrong_passwords(limit: RequestLimit):
    seconds = ratelimit.seconds_to_wait(limit)
    error = (f"Too many wrong current passwords; the password was not changed. "
             f"Try again in {seconds} seconds.")
    page = _settings(password_error=error) if current_user.is_authenticated else error
    return ratelimit.refusal(make_response(page), seconds)
