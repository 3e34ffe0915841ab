"""Bearer-token authentication for the API."""

from flask import g, request

from ..db import db
from ..errors import json_error
from ..services import tokens


def require_token():
    """before_request hook: the API answers only requests with a live token."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return _unauthorized("This request has no API token; send 'Authorization: Bearer <token>'.")
    row = tokens.identify(db.engine, token.strip())
    if row is None:
        return _unauthorized("This API token is unknown or revoked; check it, or make a new one "
                             "with '.venv/bin/flask --app server tokens create NAME' or in the web view's "
                             "Settings → API tokens.")
    g.user, g.user_id = row, row.user_id  # row: the user's id, username and created_at (GET /me)
    return None


def _unauthorized(message: str):
    return json_error(401, "unauthorized", message, headers={"WWW-Authenticate": 'Bearer realm="margins"'})


def require_json_body():
    """before_request hook: bodies of writes are JSON (gzip allowed, see request_body)."""
    if request.method in ("PUT", "PATCH", "POST") and not request.is_json:
        return json_error(415, "unsupported_media_type",
                          "Send the body as JSON with 'Content-Type: application/json'.")
    return None
