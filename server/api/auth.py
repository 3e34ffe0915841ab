"""Bearer-token authentication for the API."""

from flask import g, request

from ..db import db, write_intent
from ..errors import json_error
from ..services import tokens


def require_token():
    """before_request hook: the API answers only requests with a live token."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return _unauthorized("This request has no API token; send 'Authorization: Bearer <token>'.")
    # The lookup is a read transaction of its own, even in a request that writes: on SQLite
    # the work takes the write lock only when it starts, so that the other workers check
    # tokens and validate bodies meanwhile.
    intent = write_intent.set(False)
    try:
        row = tokens.authenticate(db.session, token.strip())
        if row is not None:
            g.user, g.user_id = row.user, row.user_id
            token_id, due = row.id, tokens.use_to_record(row)
        db.session.commit()
    finally:
        write_intent.reset(intent)
    if row is None:
        return _unauthorized("This API token is unknown or revoked; check it, or make a new one "
                             "with 'flask --app server tokens create NAME'.")
    if due:
        tokens.record_use(db.engine, token_id)  # on a connection of its own
    return None


def _unauthorized(message: str):
    return json_error(401, "unauthorized", message, headers={"WWW-Authenticate": 'Bearer realm="margins"'})


def require_json_body():
    """before_request hook: bodies of writes are JSON (gzip allowed, see request_body)."""
    if request.method in ("PUT", "PATCH", "POST") and not request.is_json:
        return json_error(415, "unsupported_media_type",
                          "Send the body as JSON with 'Content-Type: application/json'.")
    return None
