"""Signing in and out with a session cookie (Flask-Login).

``current_user`` is a ``SessionUser``: ``current_user.id`` is the User row's
id and other attributes (``username``…) are the row's.
"""

from flask import redirect, render_template, request, url_for
from flask_login import LoginManager, UserMixin, login_required, login_user, logout_user

from ..db import db
from ..models import User
from ..services import users
from .blueprint import bp

login_manager = LoginManager()
login_manager.login_view = "web.login"
login_manager.login_message = "Sign in to see your highlights."
login_manager.session_protection = "basic"


class SessionUser(UserMixin):
    """The signed-in person: wraps their User row for Flask-Login."""

    def __init__(self, user: User):
        self.user = user
        self.id = user.id

    def __getattr__(self, name):
        return getattr(self.user, name)


@login_manager.user_loader
def load_user(user_id: str) -> SessionUser | None:
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return SessionUser(user) if user else None


@bp.route("/login", methods=["GET", "POST"])
def login():
    error = None
    if request.method == "POST":
        user = users.check_password(db.session, request.form.get("username", ""), request.form.get("password", ""))
        if user is not None:
            login_user(SessionUser(user), remember=bool(request.form.get("remember")))
            target = request.args.get("next", "")
            local = target.startswith("/") and not target.startswith("//") and "\\" not in target
            return redirect(target if local else url_for("web.library"))
        error = "That username and password do not match; check them and try again."
    return render_template("login.html", error=error), 401 if error else 200


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    return redirect(url_for("web.login"))
