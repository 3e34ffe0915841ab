"""MCP over streamable HTTP at /api/mcp, inside the Margins app, authorized by a Margins API token.

Stateless, with JSON answers (no server-sent event streams): each POST is
one JSON-RPC exchange, so it runs as an ordinary request under gunicorn's
sync workers, behind the same proxies, body limits and database as the
rest. ``transport`` runs the exchange; it holds the SDK, imported at the
first MCP request so that a worker serving only the API and the web view
never loads it (about 40 MB with pydantic, starlette and the rest).
"""

from flask import Blueprint, Response, jsonify, request

from ..db import db
from ..services import tokens

PATH = "/api/mcp"
blueprint = Blueprint("mcp", __name__)


def _token() -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() in ("bearer", "token") and token.strip() else None


@blueprint.route(PATH, methods=["GET", "POST", "DELETE"])
def endpoint():
    token = _token()
    row = tokens.identify(db.engine, token) if token else None
    user_id = row.user_id if row else None
    if user_id is None:
        answer = jsonify({"error": {
            "code": "unauthorized", "fields": {},
            "message": ("This API token is unknown or revoked" if token else "This request has no API token")
            + "; send 'Authorization: Bearer <token>' with a token made by "
              "'.venv/bin/flask --app server tokens create NAME' or in the web view's Settings → API tokens."}})
        answer.status_code = 401
        answer.headers["WWW-Authenticate"] = 'Bearer realm="margins"'
        return answer
    from . import transport

    status, headers, body = transport.exchange(user_id, token)
    return Response(body, status=status, headers=headers)
