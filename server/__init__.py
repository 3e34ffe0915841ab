"""Margins: a self-hosted web highlighter. ``create_app`` is the application factory."""

import os

from flask import Flask, request

from . import api, cli, web
from .config import build_config
from .db import db, migrate, upgrade_database, write_intent
from .request_body import DecompressRequestBody
from .web import transfer as web_transfer

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def create_app(overrides: dict | None = None) -> Flask:
    """Build the app. ``overrides`` (Flask config keys, plus INSTANCE_PATH) win over the environment."""
    overrides = dict(overrides or {})
    instance_path = overrides.pop("INSTANCE_PATH", None) or os.environ.get("MARGINS_INSTANCE_PATH")
    app = Flask(__name__, instance_path=os.path.abspath(instance_path) if instance_path else None)
    app.config.update(build_config(app.instance_path, overrides))
    app.json.sort_keys = False

    db.init_app(app)
    migrate.init_app(app, db)
    api.init_app(app)
    cli.init_app(app)
    web.init_app(app)
    app.register_blueprint(web_transfer.blueprint)

    @app.before_request
    def _mark_write_intent():
        write_intent.set(request.method in WRITE_METHODS)

    @app.after_request
    def _no_sniffing(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response

    app.wsgi_app = DecompressRequestBody(app.wsgi_app, lambda: app.config["MAX_CONTENT_LENGTH"])
    if app.config["MARGINS_AUTO_MIGRATE"]:
        upgrade_database(app)
    return app
