"""MCP over streamable HTTP at /api/mcp, inside the Margins app, authorized by a Margins API token.

Stateless, with JSON answers (no server-sent event streams): each POST is
one JSON-RPC exchange, so it runs as an ordinary request under gunicorn's
sync workers, behind the same proxies, body limits and database as the
rest. The SDK's transport (``StreamableHTTPSessionManager``) is an ASGI
app; ``asgi_exchange`` runs it for the one request, on an event loop of the
request's own thread, so the tools see the request's context: the app, its
database session, and the caller.
"""

import anyio
from flask import Blueprint, Response, jsonify, request
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager

from ..db import db
from ..services import tokens
from .caller import Caller, current
from .tools import server

PATH = "/api/mcp"
blueprint = Blueprint("mcp", __name__)


def _token() -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() in ("bearer", "token") and token.strip() else None


@blueprint.route(PATH, methods=["GET", "POST", "DELETE"])
def endpoint():
    token = _token()
    row = tokens.identify(db.session, db.engine, token) if token else None
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
    current.set(Caller(user_id, token))
    status, headers, body = anyio.run(asgi_exchange, _scope(), request.get_data())
    return Response(body, status=status, headers=headers)


def _scope() -> dict:
    environ = request.environ
    return {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": request.method,
        "scheme": request.scheme, "path": request.path, "raw_path": request.path.encode(), "root_path": "",
        "query_string": environ.get("QUERY_STRING", "").encode("latin-1"),
        "headers": [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in request.headers],
        "server": (environ.get("SERVER_NAME", ""), int(environ.get("SERVER_PORT") or 0)),
        "client": (request.remote_addr or "", 0),
    }


async def asgi_exchange(scope: dict, body: bytes) -> tuple[int, list, bytes]:
    """One request through the SDK's transport: the status, headers and body it answered."""
    answer = {"status": 500, "headers": [], "body": b""}
    received = False

    async def receive():
        nonlocal received
        if not received:
            received = True
            return {"type": "http.request", "body": body, "more_body": False}
        await anyio.sleep_forever()  # the client stays connected until the answer is sent

    async def send(message):
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
            answer["headers"] = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in message.get("headers", [])]
        elif message["type"] == "http.response.body":
            answer["body"] += message.get("body", b"")

    manager = StreamableHTTPSessionManager(server._lowlevel_server, json_response=True, stateless=True)
    async with manager.run():
        await manager.handle_request(scope, receive, send)
    return answer["status"], answer["headers"], answer["body"]
