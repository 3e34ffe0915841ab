"""The ``web`` blueprint and what its views share: error pages, form helpers, partial answers."""

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from ..errors import too_large_message
from ..services.errors import ServiceError

bp = Blueprint("web", __name__)


def render_error(status: int, message: str):
    return render_template("error.html", status=status, message=message), status


NOT_FOUND = "Nothing here: it does not exist, or it is not yours."


@bp.errorhandler(ServiceError)
def _service_error(error: ServiceError):
    # The services' not-found messages point API clients at endpoints; people get this one.
    return render_error(error.status, NOT_FOUND if error.status == 404 else error.message)


#: What a person can do about the errors HTTP itself raises (others keep their own description).
_HTTP_MESSAGES = {
    400: "The browser sent something Margins could not read. Go back, reload the page and try again.",
    404: NOT_FOUND,
    405: "This address does not take that kind of request; use the page's own links and buttons.",
}


def http_error(error: HTTPException):
    """An HTTP error (no such page, a body too large, a form that cannot be read…) as the web view's
    error page; outside the web view's own routes too (a static file, an address nothing answers)."""
    if error.code is None or error.code < 400:
        return error  # a redirect
    if error.code == 413 and (request.content_length or 0) <= current_app.config["MAX_CONTENT_LENGTH"]:
        message = (f"A field of the form is longer than this server takes "
                   f"({current_app.config['MAX_FORM_MEMORY_SIZE']:,} bytes); shorten it.")
    elif error.code == 413:
        message = too_large_message(current_app.config["MAX_CONTENT_LENGTH"])
    else:
        message = _HTTP_MESSAGES.get(error.code, error.description)
    return render_error(error.code, message)


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
