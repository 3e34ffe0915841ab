"""Errors as Readwise (Django REST framework) writes them: ``{"detail": "..."}``, or field messages for a
body that does not validate (400), list items by position."""

from flask import current_app, jsonify
from werkzeug.exceptions import HTTPException

from ..errors import too_large_message
from ..services.errors import ServiceError

_DETAILS = {
    404: "Not found.",
    405: "Method not allowed at this address; see /api/v2/openapi.json.",
    500: "Something went wrong on the server and it was logged; try again, and report it if it persists.",
}


def detail(status: int, message: str, headers=None):
    response = jsonify({"detail": message})
    response.status_code = status
    response.headers.update(headers or {})
    return response


def handle_http_exception(error: HTTPException):
    if error.response is not None:  # made by whoever raised it: the write limit's 429, with Retry-After
        return error.response
    data = getattr(error, "data", None) or {}
    messages = data.get("messages")
    if error.code == 422 and messages:
        fields = {}
        for location in messages.values():  # webargs nests by location: json, query
            fields.update(location if isinstance(location, dict) else {"non_field_errors": location})
        response = jsonify(_listed(fields))
        response.status_code = 400
        return response
    if error.code == 413:
        return detail(413, too_large_message(current_app.config["MAX_CONTENT_LENGTH"]))
    if error.code == 500:
        current_app.logger.error("internal error under /api/v2")
    headers = {name: value for name, value in error.get_headers() if name.lower() != "content-type"}
    return detail(error.code, _DETAILS.get(error.code) or error.description, headers)


def handle_service_error(error: ServiceError):
    status = 400 if error.status == 422 else error.status
    return detail(status, error.message)


def _listed(value):
    """marshmallow's {index: messages} as a list with {} for the items that were fine; _schema as DRF's name."""
    if isinstance(value, dict):
        if value and all(isinstance(key, int) for key in value):
            return [_listed(value.get(index, {})) for index in range(max(value) + 1)]
        return {("non_field_errors" if key == "_schema" else key): _listed(item) for key, item in value.items()}
    return value
