"""The database schema against the code: migrate on start, or refuse clearly when they differ.

With ``MARGINS_AUTO_MIGRATE`` on (the default), each process brings the
schema to the newest migration on start, one process at a time. Off (several
app servers, migrations run once by a deploy step), the first request of
each process checks the schema instead and answers 503 until
``flask --app server db upgrade`` has run; the check is not made at start, so
the ``flask`` commands, that one included, still work.

A database migrated by a newer release than this code stops the process at
start with a message saying so, instead of failing later in some query.
"""

import contextlib
import fcntl
import functools
import zlib
from pathlib import Path

from alembic import command
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import text

from .db import MIGRATIONS, db, migrate


class SchemaMismatch(RuntimeError):
    """The database's migration is not the one this code needs; the message says what to do."""


def upgrade_database(app: Flask) -> None:
    """Bring the schema to the newest migration, one process at a time."""
    with app.app_context(), _migration_lock(app):
        _refuse_unknown_revision()
        command.upgrade(_config(), "head")


def require_current_schema(app: Flask) -> None:
    """Raise SchemaMismatch unless the database is at the newest migration this code has."""
    with app.app_context():
        current, head = _revisions()
        if current == head:
            return
        _refuse_unknown_revision()
    raise SchemaMismatch(
        f"The database is at migration {current or 'none'}; this Margins needs {head}. "
        "Run 'flask --app server db upgrade' once (with the app servers' settings), then retry."
    )


def _refuse_unknown_revision() -> None:
    current, head = _revisions()
    if current is not None and current not in _code_revisions():
        raise SchemaMismatch(
            f"The database is at migration {current}, which this Margins does not know (its newest is "
            f"{head}): a newer release migrated it. Run that release, or restore a backup made "
            "before the upgrade."
        )


def _config():
    return migrate.get_config(str(MIGRATIONS))


@functools.cache
def _code_revisions() -> tuple[str, ...]:
    """This code's migrations, newest first (read once per process); inside an app context."""
    return tuple(script.revision for script in ScriptDirectory.from_config(_config()).walk_revisions())


def _revisions() -> tuple[str | None, str]:
    """The database's migration and this code's newest; inside an app context."""
    with db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    return current, _code_revisions()[0]


@contextlib.contextmanager
def _migration_lock(app: Flask):
    """Serialize upgrades across workers and app servers starting together."""
    engine = db.engine
    if engine.dialect.name == "postgresql":
        key = zlib.crc32(b"margins-migrations")
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": key})
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                connection.commit()
    else:
        lock_path = Path(app.instance_path) / "migrations.lock"
        with open(lock_path, "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield
