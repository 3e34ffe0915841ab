"""Signing in and out with a session cookie (Flask-Login), and throttling sign-ins.

``current_user`` is a ``SessionUser``: ``current_user.id`` is the User row's
id and other attributes (``username``…) are the row's. The web form is the
only place a password is checked: the API and the CLI take tokens or run
on the server itself.
"""

import hashlib

from flask import Flask, make_response, redirect, render_template, request, url_for
from flask_limiter import RequestLimit
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, UserMixin, current_user, login_required, login_user, logout_user

from .. import ratelimit
from ..db import db
from ..models import User
from ..services import users
from .blueprint import bp, redirect_within

login_manager = LoginManager()
login_manager.login_view = "web.login"
login_manager.login_message = "Sign in to see your highlights."
login_manager.session_protection = "basic"


class SessionUser(UserMixin):
    """The signed-in person: wraps their User row for Flask-Login.

    The session keeps "id.session_version", so raising the version (sign-out)
    ends every copy of the cookie, including "remember me" ones.
    """

    def __init__(self, user: User):
        self.user = user
        self.id = user.id

    def __getattr__(self, name):
        return getattr(self.user, name)

    def get_id(self) -> str:
        return f"{self.user.id}.{self.user.session_version}"


@login_manager.user_loader
def load_user(session_id: str) -> SessionUser | None:
    user_id, _, version = session_id.partition(".")
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    if user is None or str(user.session_version) != version:
        return None
    return SessionUser(user)


@bp.route("/login", methods=["GET", "POST"])
def login():
    error = None
    if request.method == "POST":
        user = users.check_password(db.session, request.form.get("username", ""), request.form.get("password", ""))
        if user is not None:
            login_user(SessionUser(user), remember=bool(request.form.get("remember")))
            return redirect_within(request.args.get("next", ""), "web.library")
        error = "That username and password do not match; check them and try again."
    return render_template("login.html", error=error), 401 if error else 200


@bp.post("/logout")
@login_required
def logout():
    """Sign out here and everywhere: every session of the user ends, copies of the cookie too."""
    users.end_sessions(db.session, current_user.user)
    db.session.commit()
    logout_user()
    return redirect(url_for("web.login"))


def limit_sign_ins(app: Flask) -> None:
    """Throttle failed sign-ins per client address (MARGINS_RATELIMIT_LOGIN) and per username
    (MARGINS_RATELIMIT_LOGIN_PER_USER); past either, the form answers 429 until the window passes.

    Only failures count (the form's 401), so people signing in are never
    counted, and another address's failures never block you. The per-username
    limit stops one account being guessed from many addresses, but lets an
    attacker lock its owner out of the web form (lockout as denial of
    service); so it is looser than the per-address one. By default 100 an hour
    against 10 a minute and 50 an hour, in moving windows: one address alone
    can never lock an account, it takes several, and only for the window.
    Sessions already signed in and the API tokens (the extension) are not
    affected.
    """
    for setting, key, scope in (("MARGINS_RATELIMIT_LOGIN", get_remote_address, "address"),
                                ("MARGINS_RATELIMIT_LOGIN_PER_USER", _username_key, "username")):
        if app.config[setting]:
            ratelimit.limit_failures(app, "web.login", app.config[setting], key=key, scope=scope,
                                     failures=(401,), on_breach=_too_many_attempts)


def _username_key() -> str:
    """The account the form names, as sign-in finds it (case-insensitive); hashed, so a key stays short."""
    username = request.form.get("username", "").casefold()
    return hashlib.sha256(username.encode()).hexdigest()


def _too_many_attempts(limit: RequestLimit):
    seconds = ratelimit.seconds_to_wait(limit)
    error = f"Too many sign-in attempts; try again in {seconds} seconds."
    return ratelimit.refusal(make_response(render_template("login.html", error=error)), seconds)
