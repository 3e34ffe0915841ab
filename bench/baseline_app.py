"""The ingest bench's baseline: the least a server can do to keep a highlight.

A minimal Flask app with one table and one route: ``PUT
/api/v1/highlights/<id>`` parses the JSON body, inserts one row, commits,
and answers 201 with the row as JSON. No token, no validation, no pages,
tags, change numbers or search index. It keeps one connection per worker,
to SQLite (plain ``sqlite3``, WAL, synchronous=NORMAL, as Margins opens it)
or to PostgreSQL (plain ``psycopg``), named by ``BASELINE_DATABASE``: a file
path, or a ``postgresql://`` URL. Served by gunicorn like Margins::

    BASELINE_DATABASE=/tmp/b.sqlite3 gunicorn -w 2 bench.baseline_app:app
"""

import json
import os
import sqlite3
from datetime import UTC, datetime

from flask import Flask, request

TABLE = """CREATE TABLE IF NOT EXISTS highlights (
    id VARCHAR(36) PRIMARY KEY, url TEXT NOT NULL, exact TEXT NOT NULL, prefix TEXT NOT NULL,
    suffix TEXT NOT NULL, color VARCHAR(16) NOT NULL, note TEXT NOT NULL, tags TEXT NOT NULL,
    created_at VARCHAR(32) NOT NULL)"""
COLUMNS = ("id", "url", "exact", "prefix", "suffix", "color", "note", "tags", "created_at")

app = Flask(__name__)
_connection = None


def is_postgresql(database: str) -> bool:
    return database.startswith(("postgresql://", "postgres://"))


def connect(database: str):
    if is_postgresql(database):
        import psycopg

        return psycopg.connect(database)
    connection = sqlite3.connect(database, timeout=15)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    return connection


def create_table(database: str) -> None:
    connection = connect(database)
    connection.execute(TABLE)
    connection.commit()
    connection.close()


def _insert_sql(database: str) -> str:
    mark = "%s" if is_postgresql(database) else "?"
    return f"INSERT INTO highlights ({', '.join(COLUMNS)}) VALUES ({', '.join([mark] * len(COLUMNS))})"


@app.put("/api/v1/highlights/<highlight_id>")
def put_highlight(highlight_id):
    global _connection
    database = os.environ["BASELINE_DATABASE"]
    if _connection is None:  # one per worker, made after gunicorn forks it
        _connection = connect(database)
    body = request.get_json()
    quote = body["quote"]
    row = (highlight_id, body["url"], quote["exact"], quote.get("prefix", ""), quote.get("suffix", ""),
           body.get("color", "yellow"), body.get("note", ""), json.dumps(body.get("tags", [])),
           datetime.now(UTC).isoformat())
    _connection.execute(_insert_sql(database), row)
    _connection.commit()
    return dict(zip(COLUMNS, row, strict=True)), 201
