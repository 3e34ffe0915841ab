"""Margins: a self-hosted web highlighter. ``create_app`` is the application factory."""

import os

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

from . import api, busy, cli, errors, health, migrating, ratelimit, readwise, web
from .api import errors as api_errors
from .config import build_config, instance_path_setting
from .db import db, migrate, write_intent
from .mcp import http as mcp_http
from .ratelimit import WRITE_METHODS
from .request_body import DecompressRequestBody
from .services import search
from .web import auth as web_auth
from .web import errors as web_errors
from .web import export_import as web_export_import


def create_app(overrides: dict | None = None) -> Flask:
    """Build the app. ``overrides`` (Flask config keys, plus INSTANCE_PATH) win over the environment."""
    overrides = dict(overrides or {})
    instance_path = overrides.pop("INSTANCE_PATH", None) or instance_path_setting()
    app = Flask(__name__, instance_path=os.path.abspath(instance_path) if instance_path else None)
    app.config.update(build_config(app.instance_path, overrides))
    app.json.sort_keys = False

    db.init_app(app)
    search.keep_index_current()
    migrate.init_app(app, db)
    ratelimit.init_app(app)  # first: the API and the web view put their limits on it
    api.init_app(app)
    busy.init_app(app)
    readwise.init_app(app)
    cli.init_app(app)
    web.init_app(app)
    web_auth.limit_sign_ins(app)
    app.register_blueprint(web_export_import.blueprint)
    app.register_blueprint(health.blueprint)
    app.register_blueprint(mcp_http.blueprint)
    errors.init_app(app, api=api_errors.answer, web=web_errors.answer)

    @app.before_request
    def _mark_write_intent():
        write_intent.set(request.method in WRITE_METHODS)

    @app.teardown_request
    def _clear_write_intent(_error):
        # Not left behind for whatever this thread does next outside a request (a CLI command, a test).
        write_intent.set(False)

    @app.after_request
    def _no_sniffing(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response

    app.wsgi_app = DecompressRequestBody(app.wsgi_app, app.config)
    if proxies := app.config["MARGINS_PROXIES"]:
        # The client's address (sign-in throttling), scheme and host, as the proxies in front saw them.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    if app.config["MARGINS_AUTO_MIGRATE"]:
        migrating.upgrade_database(app)
    else:
        health.refuse_until_ready(app)
    return app
