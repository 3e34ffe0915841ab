"""Readwise-style token authentication: ``Authorization: Token <token>`` (or ``Bearer``), Margins API tokens."""

from flask import g, request

from ..db import db
from ..services import tokens
from .errors import detail

SCHEMES = ("token", "bearer")


def sent_token() -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() in SCHEMES and token.strip() else None


def limit_key() -> str:
    """The write limit's key: the token's sha256, as /api/v1 counts it, so a token has one count."""
    token = sent_token()
    return tokens.hash_token(token) if token else "no-token"


def require_token():
    """before_request hook: only a live token gets in."""
    token = sent_token()
    if token is None:
        return _unauthorized("Authentication credentials were not provided: send 'Authorization: Token <token>' "
                             "with a Margins API token.")
    row = tokens.identify(db.engine, token)
    user_id = row.user_id if row else None
    if user_id is None:
        return _unauthorized("Invalid token: it is unknown or revoked. Make a new one with "
                             "'.venv/bin/flask --app server tokens create NAME' or in the web view's Settings → API tokens.")
    g.user_id = user_id
    return None


def _unauthorized(message: str):
    return detail(401, message, headers={"WWW-Authenticate": 'Token realm="margins"'})
