"""Errors, decided in one place: JSON ({"error": {"code", "message", "fields"}}) at the API's
addresses, the web view's error page everywhere else.

``init_app`` registers the app's only two error handlers (every HTTP error, every
service error); each face says how it words an error (``api.errors.answer``,
``web.errors.answer``) and the app factory hands both over. Errors answered
before Flask runs (``wsgi_error``) follow the same split.
"""

import html
import json
from collections.abc import Callable

from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from .paths import is_api_path
from .services.errors import ServiceError

HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "too_many_requests",
    500: "internal_error",
}

Answer = Callable[[HTTPException | ServiceError], object]


def init_app(app: Flask, *, api: Answer, web: Answer) -> None:
    """Answer every HTTP error and service error by ``api`` at the API's addresses, by ``web`` elsewhere."""

    def answer(error: HTTPException | ServiceError):
        if isinstance(error, HTTPException) and error.response is not None:
            return error.response  # made whole where it was raised (a rate limit's own 429)
        if isinstance(error, HTTPException) and (error.code is None or error.code < 400):
            return error  # a redirect
        return (api if is_api_path(request.path) else web)(error)

    app.register_error_handler(HTTPException, answer)
    app.register_error_handler(ServiceError, answer)


def _size(limit: int) -> str:
    return next(
        (f"{limit / unit:g} {name}" for unit, name in ((1 << 20, "MiB"), (1 << 10, "KiB")) if limit >= unit),
        f"{limit} bytes",
    )


def too_large_message(limit: int) -> str:
    return (f"The request body is larger than this server accepts ({_size(limit)}, after decompression); "
            "send less, or raise MARGINS_MAX_BODY_BYTES.")


def pdf_too_large_message(limit: int) -> str:
    return (f"The PDF is larger than this server keeps ({_size(limit)}, after decompression), so the file was "
            "not stored; its page and highlights are kept. The server's MARGINS_MAX_PDF_BYTES sets the limit.")


def error_payload(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def json_error(status: int, code: str, message: str, fields: dict | None = None, headers=None):
    response = jsonify(error_payload(code, message, fields))
    response.status_code = status
    response.headers.update(headers or {})
    return response


def wsgi_error(environ, start_response, status: int, code: str, message: str):
    """An error answered straight from WSGI middleware, before Flask runs: JSON for the API, a bare page
    for the web view."""
    reason = HTTP_STATUS_CODES[status]
    if is_api_path(environ.get("PATH_INFO", "")):
        body, content_type = json.dumps(error_payload(code, message)).encode(), "application/json"
    else:
        body = (f'<!doctype html><html lang="en"><title>{status} {reason}</title>'
                f'<h1>{reason}</h1><p role="alert">{html.escape(message)}</p></html>').encode()
        content_type = "text/html; charset=utf-8"
    start_response(f"{status} {reason}", [("Content-Type", content_type), ("Content-Length", str(len(body)))])
    return [body]
