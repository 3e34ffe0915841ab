"""POST /api/v1/connect: a one-time code from Settings → Connect a browser, for a token of the browser's own.

No bearer token: the code is the credential (the route is registered apart from the token-checked
blueprints, and its OpenAPI operation says ``security: []``). Failed tries (an unknown, used or expired
code) are limited per client address, as failed sign-ins are (MARGINS_RATELIMIT_LOGIN).
"""

from flask import request
from flask_limiter import RequestLimit
from flask_limiter.util import get_remote_address
from marshmallow import Schema, fields, validate

from .. import ratelimit
from ..db import db
from ..edge.fields import Text
from ..services import connect_codes
from .auth import require_json_body
from .blueprint import Blueprint
from .schemas import Body, ErrorSchema

blp = Blueprint("connect", __name__, token=False,
                description="Connect a browser with a one-time code, without a token.")
blp.before_request(require_json_body)

#: The answers a failed try gets, which the limit counts.
FAILURES = (404, 410)


class ConnectSchema(Body):
    code = Text(required=True, validate=validate.Length(min=1, max=40), metadata={
        "description": "The code Settings → Connect a browser shows, e.g. ABCD-EFGH (dash, case and spaces "
                       "do not matter)."})
    browser = Text(load_default="", validate=validate.Length(max=connect_codes.MAX_BROWSER), metadata={
        "description": "What the browser is, e.g. \"Firefox on Linux\": the new token is named after it."})


class ConnectedSchema(Schema):
    server_url = fields.String(metadata={"description": "This server's address, as the request reached it."})
    token = fields.String(metadata={"description": "A new API token of the code's user; shown this once."})
    username = fields.String()


@blp.route("/connect", methods=["POST"])
@blp.arguments(ConnectSchema)
@blp.response(201, ConnectedSchema)
@blp.alt_response(404, schema=ErrorSchema, description="No code like this one was made here.")
@blp.alt_response(410, schema=ErrorSchema, description="The code was used already, or has expired.")
@blp.alt_response(429, schema=ErrorSchema, description="Too many failed tries from this address; "
                                                       "wait as long as Retry-After says.")
@blp.doc(security=[])
def connect(body):
    """Trade a one-time code for a new API token of its user, named after the browser.

    A code works once, for 10 minutes: used or expired, it gets 410 Gone.
    Sessions and tokens sent along are ignored: the code alone says whose token it is.
    """
    user, token = connect_codes.redeem(db.session, body["code"], body["browser"])
    db.session.commit()
    answer = {"server_url": request.url_root.rstrip("/"), "token": token, "username": user.username}
    return answer, 201, {"Cache-Control": "no-store"}


def _too_many_tries(limit: RequestLimit):
    return ratelimit.json_refusal(limit, lambda seconds: (
        f"Too many wrong or stale codes from this address; try again in {seconds} seconds, "
        f"with a new code from Settings → Connect a browser."))


@blp.record_once
def _limit_failed_tries(state) -> None:
    app = state.app
    if limit := app.config["MARGINS_RATELIMIT_LOGIN"]:
        ratelimit.limit_failures(app, f"{blp.name}.connect", limit, key=get_remote_address, scope="connect",
                                 failures=FAILURES, on_breach=_too_many_tries)
