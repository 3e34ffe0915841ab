"""One JSON shape for every API error: {"error": {"code", "message", "fields"}}; and the errors
answered before Flask runs."""

import html
import json

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


def too_large_message(limit: int) -> str:
    size = next(
        (f"{limit / unit:g} {name}" for unit, name in ((1 << 20, "MiB"), (1 << 10, "KiB")) if limit >= unit),
        f"{limit} bytes",
    )
    return (f"The request body is larger than this server accepts ({size}, after decompression); "
            "send less, or raise MARGINS_MAX_BODY_BYTES.")


def error_payload(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def wsgi_error(environ, start_response, status: int, code: str, message: str):
    """An error answered straight from WSGI middleware, before Flask runs: JSON for the API, a bare page
    for the web view."""
    from werkzeug.http import HTTP_STATUS_CODES

    reason = HTTP_STATUS_CODES[status]
    if environ.get("PATH_INFO", "").startswith("/api/"):
        body, content_type = json.dumps(error_payload(code, message)).encode(), "application/json"
    else:
        body = (f'<!doctype html><html lang="en"><title>{status} {reason}</title>'
                f'<h1>{reason}</h1><p role="alert">{html.escape(message)}</p></html>').encode()
        content_type = "text/html; charset=utf-8"
    start_response(f"{status} {reason}", [("Content-Type", content_type), ("Content-Length", str(len(body)))])
    return [body]
