"""The database handle and engine tuning (migrations on start: see migrating.py).

SQLite is opened in WAL mode with a busy timeout. Requests that write start
their transaction with BEGIN IMMEDIATE, so two writers queue on the lock
instead of one failing when it upgrades a read transaction to a write.
"""

import contextvars
import sqlite3
from pathlib import Path

import flask_migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase

MIGRATIONS = Path(__file__).parent / "migrations"

# Alembic needs stable constraint names to alter tables later.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# Not expired on commit: a write's answer is the row as this request left it, never a
# concurrent request's later change read back after the commit (and no extra SELECT).
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = flask_migrate.Migrate(directory=str(MIGRATIONS), render_as_batch=True)

#: Set while handling a request that may write; see the module docstring.
write_intent: contextvars.ContextVar[bool] = contextvars.ContextVar("write_intent", default=False)

SQLITE_BUSY_TIMEOUT_MS = 15_000


def is_lock_timeout(error: OperationalError) -> bool:
    """SQLite's "database is locked": a write waited the busy timeout for another's lock (server/busy.py)."""
    return isinstance(error.orig, sqlite3.OperationalError) and "is locked" in str(error.orig)


@event.listens_for(Engine, "connect")
def _tune_sqlite(dbapi_connection, connection_record):
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


@event.listens_for(Engine, "begin")
def _begin_sqlite(connection):
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write_intent.get() else "BEGIN")
