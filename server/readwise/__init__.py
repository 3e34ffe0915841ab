"""A Readwise-compatible API at /api/v2, documented at /api/v2/openapi.json (see docs/api.md, docs/readers.md).

Reading apps that push highlights to Readwise (KOReader, Moon+ Reader,
Readest, scripts and libraries) push them to Margins when only their base
URL changes: Readwise's paths, fields, paging and error shapes, with
Margins API tokens (``Authorization: Token <token>``, or ``Bearer``).

This face stands apart from /api/v1 (``server.api``) and imports nothing of
it: its own OpenAPI document (a second flask-smorest ``Api`` under the
``READWISE_`` config prefix), its own error shape, and the one write limit
of Margins (MARGINS_RATELIMIT_WRITES), counted per token across both APIs.
"""

import copy

from flask_limiter import RequestLimit
from flask_smorest import Api
from werkzeug.exceptions import HTTPException

from .. import ratelimit
from ..services.errors import ServiceError
from . import views
from .auth import limit_key, require_token
from .errors import detail, handle_http_exception, handle_service_error
from .schemas import ErrorSchema

PREFIX = "/api/v2"

CONFIG = {
    "READWISE_API_TITLE": "Margins: Readwise-compatible API",
    "READWISE_API_VERSION": "v2",
    "READWISE_OPENAPI_VERSION": "3.0.3",
    "READWISE_OPENAPI_URL_PREFIX": PREFIX,
    "READWISE_OPENAPI_JSON_PATH": "openapi.json",
    "READWISE_API_SPEC_OPTIONS": {
        "info": {"description": "Readwise's API v2 (readwise.io/api_deets) over Margins' pages and highlights. "
                               "See docs/api.md and docs/readers.md."},
        "servers": [{"url": "/"}],
        "security": [{"token": []}, {"bearer": []}],
        "components": {"securitySchemes": {
            "token": {"type": "apiKey", "in": "header", "name": "Authorization",
                      "description": "'Token <token>' with a Margins API token, as Readwise clients send it."},
            "bearer": {"type": "http", "scheme": "bearer"},
        }},
    },
}

views.blp.before_request(views.refuse_unreadable_address)
views.blp.before_request(require_token)
views.blp.before_request(views.read_json_body)
views.blp.register_error_handler(ServiceError, handle_service_error)
views.blp.register_error_handler(HTTPException, handle_http_exception)


class ReadwiseApi(Api):
    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self):
        """None app-wide: /api/v1 and the web view keep theirs; this blueprint has its own."""


def too_many_writes(limit: RequestLimit):
    seconds = ratelimit.seconds_to_wait(limit)
    return ratelimit.refusal(detail(429, f"Request was throttled: this token made more changes than the server "
                                         f"takes ({limit.limit}); nothing was changed. Expected available in "
                                         f"{seconds} seconds."), seconds)


def init_app(app) -> None:
    for key, value in CONFIG.items():
        app.config.setdefault(key, copy.deepcopy(value))
    api = ReadwiseApi(app, config_prefix="READWISE")
    api.register_blueprint(views.blp, url_prefix=PREFIX)
    if writes := app.config["MARGINS_RATELIMIT_WRITES"]:
        ratelimit.limiter_of(app).shared_limit(
            writes, scope=ratelimit.WRITE_SCOPE, key_func=limit_key, methods=list(ratelimit.WRITE_METHODS),
            on_breach=too_many_writes)(views.blp)
