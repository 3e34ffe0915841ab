"""A write that cannot get the database's lock in time answers 503 with Retry-After, never 500.

SQLite lets one writer at a time: a write waits up to the busy timeout
(``db.SQLITE_BUSY_TIMEOUT_MS``) for the lock, then fails with "database is
locked" (e.g. while another user's large import holds it). Nothing was
changed, so the client may send the request again; the API answers JSON
(``database_busy``), the web view its error page, each through the face's
own ServiceError handler.
"""

from flask import Flask, current_app
from sqlalchemy.exc import OperationalError

from .db import db, is_lock_timeout, write_intent
from .services.errors import ServiceError

RETRY_AFTER_SECONDS = 5


class DatabaseBusy(ServiceError):
    status = 503
    code = "database_busy"


def init_app(app: Flask) -> None:
    app.register_error_handler(OperationalError, _answer)


def _answer(error: OperationalError):
    if not is_lock_timeout(error):
        raise error  # a 500, logged, as any other failure
    # What the error page reads (the signed-in user) it reads in a transaction of its own, which
    # the lock does not stop.
    db.session.rollback()
    write_intent.set(False)
    current_app.logger.warning("database busy: a write waited for the lock too long and was refused with 503")
    busy = DatabaseBusy("The database is busy with another write (an import, or many changes at once), "
                        "and this one could not wait longer; nothing was changed. "
                        f"Send it again in {RETRY_AFTER_SECONDS} seconds (Retry-After).")
    response = current_app.make_response(current_app.handle_user_exception(busy))
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
