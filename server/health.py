"""Is this app server able to serve? GET /healthz for load balancers, and the start-up schema check.

``/healthz`` needs no token and says nothing about anybody's data: 200 when
the database answers and its schema is the one this code needs, 503 with
the reason otherwise. Without auto-migration, ``refuse_until_ready`` makes
every request answer that 503 until the schema is found current once.
"""

from flask import Blueprint, Flask, current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from .db import db
from .errors import json_error
from .migrating import SchemaMismatch, require_current_schema

blueprint = Blueprint("health", __name__)


def unready_answer():
    """A 503 JSON error saying why this server can't serve, or None when it can."""
    try:
        db.session.execute(text("SELECT 1"))
        require_current_schema(current_app)
    except SchemaMismatch as mismatch:
        return json_error(503, "schema_not_current", str(mismatch))
    except SQLAlchemyError as error:
        return json_error(503, "database_unavailable",
                          f"The database does not answer ({type(error).__name__}); check that it runs "
                          "and that MARGINS_DATABASE_URL points at it.")
    finally:
        db.session.rollback()
    return None


@blueprint.get("/healthz")
def healthz():
    return unready_answer() or {"status": "ok"}


def refuse_until_ready(app: Flask) -> None:
    """Until the server is found ready once, each request checks and answers 503 if it is not."""
    ready = False

    @app.before_request
    def _ready():
        nonlocal ready
        if not ready:
            refusal = unready_answer()
            ready = refusal is None
            return refusal
        return None
