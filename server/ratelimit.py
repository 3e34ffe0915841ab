"""Abuse limits, counted by Flask-Limiter: writes per API token, failed sign-ins per address and per username.

One ``Limiter`` per app (``init_app``), kept in ``app.extensions``; the API
and the web view declare their limits on it (``api.init_app``,
``web.auth.limit_sign_ins``). Windows are moving: "10 per minute" means at
most 10 in any 60 seconds, never 20 across the turn of a minute. A limit
that is reached answers 429 with a ``Retry-After`` header (whole seconds)
and a message saying the limit and when to try again, made by the limit's
own ``on_breach`` (``server.errors`` answers it as made; a plain 429 of the
face if making it failed).

Counts live in ``RATELIMIT_STORAGE_URI`` (``MARGINS_RATELIMIT_STORAGE_URI``):
``memory://`` counts in each worker process, ``redis://host:6379`` shares the
counts across workers and app servers. When that storage fails (redis down),
counting goes on in the worker's memory and the storage is tried again now
and then (Flask-Limiter's in-memory fallback), and any other error of the
limiter is logged and the request let through (``swallow_errors``): a broken
counter never turns into a 500 or a refusal.

``memory://`` is served by :class:`WorkerMemory`, which counts as ``limits``'
own memory storage does, without the thread that storage starts on nearly
every hit.
"""

import math
import time

from flask import Flask, request
from flask_limiter import Limiter, RequestLimit
from flask_limiter.util import get_remote_address
from limits import parse_many
from limits.storage import MemoryStorage

from .errors import json_error
from .services.tokens import hash_token

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
#: The scope the write limit counts under, wherever a token writes (/api/v1, /api/v2, MCP tools): one count a token.
WRITE_SCOPE = "api-writes"
KEY_PREFIX = "margins"
#: A redis that stops answering holds a request up at most this long before counting falls back to memory
#: (the storage URI's own query parameters win).
REDIS_TIMEOUTS = {"socket_connect_timeout": 1, "socket_timeout": 1}


class WorkerMemory(MemoryStorage):
    """``memory://`` without its expiry thread.

    ``limits``' MemoryStorage drops expired counts in a ``threading.Timer`` 10 ms
    after a hit, and so starts a thread (and waits for it to run) on nearly every
    write: about 0.5 ms of a highlight PUT (docs/performance.md, "Ingest"). Here the
    same sweep runs in the request, at most once a second. Dropping expired
    entries only frees memory: a count's window is checked on every hit anyway.
    """

    STORAGE_SCHEME = ["margins-memory"]
    SWEEP_EVERY = 1.0  # seconds
    _next_sweep = 0.0

    def _MemoryStorage__schedule_expiry(self) -> None:  # noqa: N802 (the name MemoryStorage calls)
        now = time.monotonic()
        if now >= self._next_sweep:
            self._next_sweep = now + self.SWEEP_EVERY
            self._MemoryStorage__expire_events()


def init_app(app: Flask) -> Limiter:
    uri = app.config["RATELIMIT_STORAGE_URI"]
    redis = uri.startswith(("redis://", "rediss://"))
    limiter = Limiter(get_remote_address, strategy="moving-window", key_prefix=KEY_PREFIX,
                      storage_uri="margins-memory://" if uri == "memory://" else None,
                      storage_options=REDIS_TIMEOUTS if redis else None,
                      swallow_errors=True, in_memory_fallback_enabled=True)
    limiter.init_app(app)
    limiter.request_filter(_is_read)
    app.extensions["margins.limiter"] = limiter
    return limiter


def _is_read() -> bool:
    """Every limit here counts writes (WRITE_METHODS: the API's, sign-ins', connect codes'), so a read skips
    the limiter's work around the count (resolving the view's limits, their scopes, its context)."""
    return request.method not in WRITE_METHODS


def limiter_of(app: Flask) -> Limiter:
    return app.extensions["margins.limiter"]


def token_key() -> str:
    """The API token's sha256 (as ``api_tokens.token_hash`` keeps it): known before the token is looked up.

    Requests without a bearer token share one count; they are refused with 401 anyway.
    """
    credentials = request.authorization
    token = credentials.token if credentials is not None and credentials.type == "bearer" else None
    return hash_token(token) if token else "no-token"


def take_write(app: Flask, token: str) -> int | None:
    """Count one write of ``token`` outside a limited route (an MCP tool call); None when it may go on,
    else the seconds to wait. The count is the one the API's write limit keeps for the token."""
    writes = app.config["MARGINS_RATELIMIT_WRITES"]
    if not writes:
        return None
    limiter = limiter_of(app)
    keys = (KEY_PREFIX, hash_token(token), WRITE_SCOPE)
    for limit in parse_many(writes):
        if not limiter.limiter.hit(limit, *keys):
            reset = limiter.limiter.get_window_stats(limit, *keys).reset_time
            return max(1, math.ceil(reset - time.time()))
    return None


def seconds_to_wait(limit: RequestLimit) -> int:
    """Whole seconds until the breached limit has room again (at least 1)."""
    return max(1, math.ceil(limit.window.reset_time - time.time()))


def refusal(response, seconds: int):
    """The response, as a 429 saying when to retry."""
    response.status_code = 429
    response.headers["Retry-After"] = str(seconds)
    return response


def json_refusal(limit: RequestLimit, say):
    """429 with ``Retry-After``, as the API's JSON error ``too_many_requests``: ``say(seconds)``."""
    seconds = seconds_to_wait(limit)
    return refusal(json_error(429, "too_many_requests", say(seconds)), seconds)


def limit_failures(app: Flask, endpoint: str, limit: str, *, key, scope: str, failures, on_breach) -> None:
    """Wrap a view so that only its failed answers (a status in ``failures``) count against ``limit``
    per ``key``; past it, ``on_breach`` answers. Sign-ins, connect codes and password changes use it."""
    app.view_functions[endpoint] = limiter_of(app).limit(
        limit, key_func=key, scope=scope, methods=["POST"],
        deduct_when=lambda response: response.status_code in failures,
        on_breach=on_breach)(app.view_functions[endpoint])
