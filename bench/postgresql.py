"""A PostgreSQL database of the bench's own on the local server, made and dropped around a run.

Nothing else on the server is touched: the database has a name of its own
(``margins_bench_<what>_<random>``), and is dropped with whatever is still
connected to it.
"""

from __future__ import annotations

import secrets
from contextlib import contextmanager

import psycopg

SERVER = "postgresql://postgres@127.0.0.1:5432/"


def answers() -> bool:
    try:
        psycopg.connect(SERVER + "postgres", connect_timeout=3).close()
        return True
    except psycopg.OperationalError:
        return False


@contextmanager
def database(what: str):
    """Yields the URL of a new, empty database."""
    name = f"margins_bench_{what}_{secrets.token_hex(3)}"
    with psycopg.connect(SERVER + "postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield SERVER + name
    finally:
        with psycopg.connect(SERVER + "postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
