"""One MCP request through the SDK's transport (``StreamableHTTPSessionManager``, an ASGI app).

``exchange`` runs it on an event loop of the request's own thread, so the
tools see the request's context: the app, its database session, and the
caller.
"""

import anyio
from flask import request
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager

from .caller import Caller, current
from .tools import server


def exchange(user_id: int, token: str) -> tuple[int, list, bytes]:
    """The current request, made by ``user_id`` with ``token``: the status, headers and body the SDK answered."""
    current.set(Caller(user_id, token))
    return anyio.run(asgi_exchange, _scope(), request.get_data())


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
