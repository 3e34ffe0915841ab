"""Search: ``flask --app server search reindex`` rebuilds the full-text index from the data."""

import sys

import click
from flask.cli import AppGroup

from ..db import db
from ..services import search as search_service

search_cli = AppGroup("search", help="The full-text search index.")


@search_cli.command("reindex")
def reindex():
    """Rebuild the search index of every user (safe to run while the server serves)."""
    with db.engine.begin() as connection:
        total = search_service.count_rows_to_index(connection)
        with click.progressbar(length=total, label="Indexing highlights and pages", file=sys.stderr) as bar:
            made = search_service.reindex(connection, progress=bar.update)
    click.echo(f"Indexed {made} rows (highlights and pages).")


COMMANDS = (search_cli,)
