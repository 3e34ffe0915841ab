"""How the API words its errors: every failure under /api as {"error": {"code", "message", "fields"}}
(``server.errors`` sends them here)."""

from flask import current_app, request
from werkzeug.exceptions import HTTPException

from ..errors import HTTP_CODES, json_error, too_large_message
from ..services.errors import ServiceError

_MESSAGES = {
    401: "Send a valid API token as 'Authorization: Bearer <token>'; make one with '.venv/bin/flask --app server tokens create NAME' or in the web view's Settings → API tokens.",
    404: "Nothing is at this address; see /api/v1/openapi.json for the API.",
    405: "This address does not take that method; see /api/v1/openapi.json.",
    500: "Something went wrong on the server and it was logged; try again, and report it if it persists.",
}


def answer(error: HTTPException | ServiceError):
    """The JSON answer for an error at an API address."""
    if isinstance(error, ServiceError):
        return json_error(error.status, error.code, error.message, error.fields)
    data = getattr(error, "data", None) or {}
    messages = data.get("messages") or data.get("errors")
    if error.code == 400 and messages == {"json": ["Invalid JSON body."]}:
        return json_error(400, "invalid_json", "The body is not valid JSON; check quoting and commas, "
                                               "and that it is UTF-8.")
    if error.code == 422 and messages:
        fields = _merge_locations(messages)
        return json_error(422, "invalid", _validation_message(fields), fields)
    if error.code == 413:
        return json_error(413, "too_large", too_large_message(current_app.config["MAX_CONTENT_LENGTH"]))
    if error.code == 500:
        current_app.logger.error("internal error on %s %s", request.method, request.path)
    message = data.get("message") or _MESSAGES.get(error.code) or error.description
    return json_error(error.code, HTTP_CODES.get(error.code, "error"), message,
                      headers={**_protocol_headers(error), **(data.get("headers") or {})})


def _protocol_headers(error: HTTPException) -> dict:
    """The headers HTTP asks of the error, e.g. Allow on a 405 (RFC 9110), Retry-After on a 429."""
    return {name: value for name, value in error.get_headers() if name.lower() != "content-type"}


def _merge_locations(messages: dict) -> dict:
    """webargs nests errors by location ("json", "query"); callers care about the field."""
    merged = {}
    for location in ("json", "query", "path"):
        value = messages.get(location)
        if isinstance(value, dict):
            merged.update(value)
        elif value:
            merged["_body" if location == "json" else location] = value
    return merged or messages


def _validation_message(fields: dict) -> str:
    names = sorted(_paths(fields))
    return "Some fields are not valid: " + ", ".join(names) + ". See error.fields for what each needs."


def _paths(fields: dict, prefix: str = ""):
    for name, value in fields.items():
        path = f"{prefix}{name}"
        if isinstance(value, dict) and not all(isinstance(k, int) for k in value):
            yield from _paths(value, path + ".")
        else:
            yield path
