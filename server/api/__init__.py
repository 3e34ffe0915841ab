"""API v1: JSON over HTTP at /api/v1, documented at /api/v1/openapi.json.

Writes (PUT, PATCH, POST, DELETE, import included) are limited per API token
(MARGINS_RATELIMIT_WRITES, see server.ratelimit): over the limit they get
429 with ``Retry-After``, and the OpenAPI document says so. Reads are not
limited: they change nothing, the extension and scripts read in bursts (a
page's highlights on every visit, a sync following cursors), and what one
client can take is already bounded by the server's workers.
"""

import copy

from apispec import BasePlugin
from flask_limiter import RequestLimit
from flask_smorest import Api

from .. import ratelimit
from ..paths import API_PREFIX
from . import connect, export_import, highlights, me, pages, pdfs, tags
from .auth import require_json_body, require_token
from .schemas import ErrorSchema

BLUEPRINTS = (me.blp, pages.blp, highlights.blp, tags.blp)

SPEC_OPTIONS = {
    "info": {"description": "Keep, review and export web highlights. See docs/api.md."},
    "servers": [{"url": "/"}],
    "security": [{"bearerAuth": []}],
    "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
}


for _blueprint in BLUEPRINTS:
    _blueprint.before_request(require_token)
    _blueprint.before_request(require_json_body)
BLUEPRINTS += (export_import.blp, pdfs.blp)  # after the hooks above: they check their own token, take file bodies


class MarginsApi(Api):
    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self):
        """None: server.errors answers every error, and sends those under /api to ``errors.answer``."""


class WriteLimitDoc(BasePlugin):
    """apispec plugin: every write operation may answer 429 with Retry-After."""

    RESPONSE = "TOO_MANY_WRITES"

    def __init__(self, limit: str):
        self.limit = limit

    def init_spec(self, spec) -> None:
        spec.components.response(self.RESPONSE, {
            "description": f"This API token made more changes than the server takes ({self.limit} on this "
                           "server); nothing was changed. Wait as long as Retry-After says, then send it again.",
            "headers": {"Retry-After": {"description": "Seconds to wait before trying again.",
                                        "schema": {"type": "integer", "minimum": 1}}},
            "content": {"application/json": {"schema": ErrorSchema}},
        })

    def operation_helper(self, path=None, operations=None, **kwargs) -> None:
        for method, operation in operations.items():
            # Operations without a token (security: []) are not counted per token: their 429 is their own.
            if method.upper() in ratelimit.WRITE_METHODS and operation.get("security") != []:
                operation.setdefault("responses", {})["429"] = self.RESPONSE


def too_many_writes(limit: RequestLimit):
    return ratelimit.json_refusal(limit, lambda seconds: (
        f"This API token made more changes than the server takes ({limit.limit}); nothing was changed. "
        f"Try again in {seconds} seconds."))


def init_app(app) -> None:
    # A copy: apispec merges each document's components into these options when it serves one.
    app.config.setdefault("API_SPEC_OPTIONS", copy.deepcopy(SPEC_OPTIONS))
    writes = app.config["MARGINS_RATELIMIT_WRITES"]
    api = MarginsApi(app, spec_kwargs={"extra_plugins": [WriteLimitDoc(writes)] if writes else []})
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint, url_prefix=API_PREFIX)
    api.register_blueprint(connect.blp, url_prefix=API_PREFIX)  # no token: the code is the credential
    if writes:
        limit = ratelimit.limiter_of(app).shared_limit(
            writes, scope="api-writes", key_func=ratelimit.token_key, methods=list(ratelimit.WRITE_METHODS),
            on_breach=too_many_writes)
        for blueprint in BLUEPRINTS:
            limit(blueprint)
