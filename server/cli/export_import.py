"""Export and import: ``flask --app server export|import``. Progress goes to standard error."""

import sys
from pathlib import Path

import click

from ..db import db
from ..models import COLORS
from ..services import exporting, importing
from ..services.errors import ServiceError
from .common import commit_or_fail, user_or_fail

VAULT_FORMAT = "obsidian"


def _progress(length: int, label: str):
    return click.progressbar(length=length, label=label, file=sys.stderr, show_pos=True)


@click.command("export")
@click.argument("format_name", metavar="FORMAT", type=click.Choice(list(exporting.FORMATS)))
@click.option("--user", "username", required=True, help="Whose highlights.")
@click.option("-o", "--output", type=click.File("wb"), default="-", show_default=True,
              help="The file to write ('-': standard output).")
@click.option("--vault", type=click.Path(file_okay=False, path_type=Path),
              help=f"With {VAULT_FORMAT}: sync this folder (an Obsidian vault) instead of writing a zip.")
@click.option("--template", type=click.File("r", encoding="utf-8"),
              help="A Jinja2 template for markdown/obsidian (see docs/export.md).")
@click.option("--tag", help="Highlights with this tag, or on pages with it.")
@click.option("--color", type=click.Choice(COLORS))
@click.option("--domain", help="Pages of this site (and its subdomains).")
@click.option("--q", help="Words in the quote, note, title or URL.")
@click.option("--page", "page_id", type=int, help="Only the page with this id.")
@click.option("--keep-formulas", is_flag=True,
              help="csv: write cells starting with = + - @ as they are (by default a leading ' stops spreadsheets "
                   "running them).")
@click.option("--article", is_flag=True,
              help="markdown/obsidian: add each page's readable copy as Markdown (under an Article heading).")
@click.option("--raw-notes", is_flag=True,
              help="markdown/obsidian: write notes as typed (by default raw HTML and non-web links become text).")
def export_command(format_name, username, output, vault, template, tag, color, domain, q, page_id, keep_formulas,
                   article, raw_notes):
    """Export a user's highlights as FORMAT (or sync an Obsidian vault with --vault)."""
    user = user_or_fail(username)
    selection = exporting.Selection(tag=tag, color=color, domain=domain, q=q, page_id=page_id)
    template_text = template.read() if template else None
    options = exporting.MarkdownOptions(article=article, raw_notes=raw_notes)
    if vault is not None and format_name != VAULT_FORMAT:
        raise click.UsageError(f"--vault syncs Markdown files: use it with '{VAULT_FORMAT}'.")
    total = exporting.count_pages(db.session, user.id, selection)
    try:
        with _progress(total, "Exporting pages") as bar:
            if vault is not None:
                source = exporting.Source(db.session, user.id, selection, bar.update)
                summary = exporting.sync_vault(source, vault, template_text, options)
            else:
                for chunk in exporting.export(db.session, user.id, format_name, selection, template_text,
                                              progress=bar.update, keep_formulas=keep_formulas,
                                              options=options):
                    output.write(chunk)
    except ServiceError as error:
        raise click.ClickException(error.message) from None
    finally:
        db.session.rollback()
    click.echo(f"Vault {vault}: {summary}." if vault is not None else f"Exported {total} pages.", err=True)


@click.command("import")
@click.argument("format_name", metavar="FORMAT", type=click.Choice(importing.NAMES))
@click.argument("file", type=click.File("rb"))
@click.option("--user", "username", required=True, help="Whose highlights they become.")
def import_command(format_name, file, username):
    """Import FILE (in FORMAT) into a user's highlights: all of it, or nothing if a record is bad."""
    user = user_or_fail(username)
    parsed = commit_or_fail(lambda: importing.parse_file(format_name, file.read()))
    with _progress(len(parsed.pages), "Importing pages") as bar:
        summary = commit_or_fail(lambda: importing.store_parsed(db.session, user.id, parsed, bar.update))
    click.echo(f"Imported {file.name}: {summary}.")


COMMANDS = (export_command, import_command)
