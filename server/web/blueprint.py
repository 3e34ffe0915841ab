"""The ``web`` blueprint and what its views share: form helpers, partial answers."""

from flask import Blueprint, redirect, request, url_for
from flask_login import current_user

bp = Blueprint("web", __name__)


def wants_fragment() -> bool:
    """True when the page's script posted the form and wants the changed part back, not a redirect."""
    return request.headers.get("X-Requested-With") == "margins"


def back(default_endpoint: str, **values):
    """Redirect to the form's ``next`` field when it is a local path, else to ``default_endpoint``."""
    return redirect_within(request.form.get("next", ""), default_endpoint, **values)


def redirect_within(target: str, default_endpoint: str, **values):
    """Redirect to ``target`` only when it is a path on this site (never another host, never a
    header break), else to ``default_endpoint``."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target and target.isprintable():
        return redirect(target)
    return redirect(url_for(default_endpoint, **values))


def user_id() -> int:
    return current_user.id
