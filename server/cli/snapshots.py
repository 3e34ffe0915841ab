"""Snapshots: ``flask --app server snapshots reprocess`` cleans stored pages again."""

import sys

import click
from flask.cli import AppGroup

from ..db import db
from ..services import reprocessing
from ..services.extraction import EXTRACTOR_VERSION
from .common import user_or_fail

snapshots_cli = AppGroup("snapshots", help="Stored copies of pages.")


@snapshots_cli.command("reprocess")
@click.option("--all", "everything", is_flag=True,
              help="Every snapshot, not only those an older extractor made.")
@click.option("--user", "username", metavar="USERNAME", help="Only this user's snapshots.")
def reprocess(everything, username):
    """Re-run the article cleaner over the raw HTML kept with each snapshot.

    Safe while the server serves: each snapshot is written in a short
    transaction of its own, so stopping it half-way loses nothing.
    """
    user_id = user_or_fail(username).id if username else None
    ids = reprocessing.snapshots_to_reprocess(db.session, user_id=user_id, everything=everything)
    if not ids:
        click.echo(f"Every snapshot is at extractor version {EXTRACTOR_VERSION}; "
                   "--all cleans them again anyway.")
        return
    with click.progressbar(length=len(ids), label="Cleaning snapshots", file=sys.stderr) as bar:
        report = reprocessing.reprocess(db.session, ids, progress=bar.update)
    click.echo(f"Cleaned {report.cleaned} snapshots with extractor version {EXTRACTOR_VERSION}.")
    if report.vanished:
        click.echo(f"{report.vanished} were deleted meanwhile.")
    if report.unreadable:
        listed = ", ".join(map(str, report.unreadable))
        raise click.ClickException(
            f"{len(report.unreadable)} snapshots have damaged raw HTML and were left as they were "
            f"(ids {listed}); delete them, or capture those pages again."
        )


COMMANDS = (snapshots_cli,)
