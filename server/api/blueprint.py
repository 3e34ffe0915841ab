"""The API's Blueprint: flask-smorest's, with a JSON parser that never lets bad JSON become a 500,
and routes that document the errors every request of their kind can get."""

import json

import flask_smorest
from flask import request
from webargs.flaskparser import FlaskParser

from ..errors import json_error
from ..request_body import sent_address
from .schemas import ErrorSchema

#: Every request: the address check below.
ANY_REQUEST = {400: "The path or query is not UTF-8 text."}
#: Every request of a blueprint that checks the token (auth.require_token).
WITH_TOKEN = {401: "No API token, or one that is unknown or revoked (see WWW-Authenticate)."}
#: Requests that send a body: request_body.DecompressRequestBody, the size limit and auth.require_json_body.
WITH_BODY = {
    400: "The path or query is not UTF-8 text, the body is not valid JSON, "
         "or it says Content-Encoding: gzip and is not valid gzip.",
    413: "The body, once decompressed, is larger than this server accepts (MARGINS_MAX_BODY_BYTES).",
    415: "The body is sent as a Content-Type or Content-Encoding this operation does not take.",
}
#: Requests for one thing by its id (but PUT, which makes it when it is missing).
WITH_ID = {404: "Nothing with this id is yours: it does not exist, was deleted, or is another user's."}

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


class MarginsParser(FlaskParser):
    def _raw_load_json(self, req):
        """Numbers or nesting Python's json refuses (ValueError, RecursionError) are bad JSON too."""
        try:
            return super()._raw_load_json(req)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise
        except (ValueError, RecursionError) as error:
            self._handle_invalid_json_error(error, req)


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = MarginsParser()

    def __init__(self, *args, token: bool = True, **kwargs):
        """``token=False``: a blueprint whose routes take no API token (their 401 is not documented)."""
        super().__init__(*args, **kwargs)
        self.token = token
        self.before_request(refuse_unreadable_address)

    def route(self, rule, **options):
        """Register a view, its documented responses completed with the errors its kind of request can get."""
        errors = {**ANY_REQUEST, **(WITH_TOKEN if self.token else {})}
        if BODY_METHODS & set(options.get("methods", ())):
            errors.update(WITH_BODY)
        if "<" in rule and "PUT" not in options.get("methods", ()):
            errors.update(WITH_ID)
        register = super().route(rule, **options)

        def decorator(view):
            for status, description in errors.items():
                view = self.alt_response(status, schema=ErrorSchema, description=description)(view)
            return register(view)

        return decorator


def refuse_unreadable_address():
    """before_request hook: werkzeug would read bytes that are not UTF-8 as U+FFFD (a NUL, the fields refuse)."""
    if sent_address(request.environ) is None:
        return json_error(400, "bad_address", "The path or query has bytes that are not UTF-8 text; "
                                              "percent-encode UTF-8 text.")
    return None
