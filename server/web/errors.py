"""How the web view words its errors: the error page, with what a person can do about it
(``server.errors`` sends every error outside the API here: the web view's routes, static files,
addresses nothing answers)."""

from flask import current_app, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..errors import too_large_message
from ..services.errors import ServiceError

NOT_FOUND = "Nothing here: it does not exist, or it is not yours."

#: What a person can do about the errors HTTP itself raises (others keep their own description).
_HTTP_MESSAGES = {
    400: "The browser sent something Margins could not read. Go back, reload the page and try again.",
    404: NOT_FOUND,
    405: "This address does not take that kind of request; use the page's own links and buttons.",
}


def render_error(status: int, message: str):
    return render_template("error.html", status=status, message=message), status


def answer(error: HTTPException | ServiceError):
    """The error page for an error outside the API."""
    if isinstance(error, ServiceError):
        # The services' not-found messages point API clients at endpoints; people get this one.
        return render_error(error.status, NOT_FOUND if error.status == 404 else error.message)
    return render_error(error.code, _message(error))


def _message(error: HTTPException) -> str:
    if isinstance(error, CSRFError):
        return "This form has expired or did not come from Margins. Go back, reload the page and try again."
    if error.code == 413 and (request.content_length or 0) <= current_app.config["MAX_CONTENT_LENGTH"]:
        return (f"A field of the form is longer than this server takes "
                f"({current_app.config['MAX_FORM_MEMORY_SIZE']:,} bytes); shorten it.")
    if error.code == 413:
        return too_large_message(current_app.config["MAX_CONTENT_LENGTH"])
    return _HTTP_MESSAGES.get(error.code, error.description)
