"""API v1: JSON over HTTP at /api/v1, documented at /api/v1/openapi.json."""

from flask_smorest import Api
from werkzeug.exceptions import HTTPException

from ..services.errors import ServiceError
from . import highlights, me, pages, tags, transfer
from .auth import require_json_body, require_token
from .errors import handle_http_exception, handle_service_error
from .schemas import ErrorSchema

PREFIX = "/api/v1"
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
BLUEPRINTS += (transfer.blp,)  # after the hooks above: it checks its own token and takes file bodies


class MarginsApi(Api):
    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error):
        return handle_http_exception(error)


def init_app(app) -> None:
    app.config.setdefault("API_SPEC_OPTIONS", SPEC_OPTIONS)
    api = MarginsApi(app)
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint, url_prefix=PREFIX)
    app.register_error_handler(ServiceError, handle_service_error)
    app.register_error_handler(HTTPException, handle_http_exception)
