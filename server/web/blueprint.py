"""The ``web`` blueprint and what its views share: error pages, form helpers, partial answers."""

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user

from ..services.errors import ServiceError

bp = Blueprint("web", __name__)


def render_error(status: int, message: str):
    return render_template("error.html", status=status, message=message), status


NOT_FOUND = "Nothing here: it does not exist, or it is not yours."


@bp.errorhandler(ServiceError)
def _service_error(error: ServiceError):
    # The services' not-found messages point API clients at endpoints; people get this one.
    return render_error(error.status, NOT_FOUND if error.status == 404 else error.message)


@bp.errorhandler(404)
def _not_found(error):
    return render_error(404, NOT_FOUND)


def wants_fragment() -> bool:
    """True when the page's script posted the form and wants the changed part back, not a redirect."""
    return request.headers.get("X-Requested-With") == "margins"


def back(default_endpoint: str, **values):
    """Redirect to the form's ``next`` field when it is a local path, else to ``default_endpoint``."""
    target = request.form.get("next", "")
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return redirect(target)
    return redirect(url_for(default_endpoint, **values))


def user_id() -> int:
    return current_user.id


def split_tags(text: str) -> list[str]:
    """Tags typed as "a, b, c" (commas separate; empty pieces dropped)."""
    return [piece for piece in (part.strip() for part in (text or "").split(",")) if piece]
