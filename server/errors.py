"""One JSON shape for every API error: {"error": {"code", "message", "fields"}}."""

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


def wsgi_error(start_response, status: int, code: str, message: str):
    """A JSON error answered straight from WSGI middleware, before Flask runs."""
    from werkzeug.http import HTTP_STATUS_CODES

    body = json.dumps(error_payload(code, message)).encode()
    start_response(
        f"{status} {HTTP_STATUS_CODES[status]}",
        [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
    )
    return [body]
