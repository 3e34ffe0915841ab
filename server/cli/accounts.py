"""Accounts: ``flask --app server users|tokens|setup``. Script-friendly output."""

import secrets

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.engine import make_url

from ..db import db
from ..services import tokens as token_service
from ..services import users as user_service
from ..services.errors import ServiceError
from ..wording import counted
from .common import commit_or_fail, user_or_fail

users_cli = AppGroup("users", help="Make and list accounts, set passwords (registration is closed).")
tokens_cli = AppGroup("tokens", help="Make, list and revoke API tokens.")


PASSWORD_HELP = f"At least {user_service.MIN_PASSWORD} characters; asked for (twice, hidden) when not given."


def _acceptable(password: str) -> str:
    """For the prompt: a password the account would refuse is asked for again, saying why."""
    try:
        user_service.check_new_password(password)
    except ServiceError as error:
        raise click.UsageError(error.message) from None
    return password


def _ask_password(given: str | None, prompt: str) -> str:
    if given is not None:
        return given
    return click.prompt(prompt, hide_input=True, confirmation_prompt=True, value_proc=_acceptable)


@users_cli.command("create")
@click.argument("username")
@click.option("--password", help=PASSWORD_HELP)
def create_user(username, password):
    """Make an account."""
    password = _ask_password(password, "Password")
    user = commit_or_fail(lambda: user_service.create_user(db.session, username, password))
    click.echo(f"Created user {user.username} (id {user.id}).")


@users_cli.command("set-password")
@click.argument("username")
@click.option("--password", help=PASSWORD_HELP)
def set_password(username, password):
    """Give an account a new password (e.g. a lost one).

    Signs the account out of every web session; its API tokens keep working.
    """
    user = user_or_fail(username)
    password = _ask_password(password, f"New password for {user.username}")
    commit_or_fail(lambda: user_service.set_password(db.session, user, password))
    click.echo(f"Changed the password of {user.username}; their web sessions are signed out.")


@users_cli.command("list")
def list_users():
    """List the accounts: id, name, created, active tokens."""
    listed = user_service.list_users(db.session)
    if not listed:
        click.echo("No users yet; '.venv/bin/flask --app server users create NAME' makes one.", err=True)
    for user, tokens in listed:
        click.echo(f"{user.id}\t{user.username}\tcreated {user.created_at:%Y-%m-%d %H:%M}\t"
                   f"{counted(tokens, 'active token')}")


@tokens_cli.command("create")
@click.argument("username")
@click.option("--name", default="", help="A label, e.g. the browser it is for.")
def create_token(username, name):
    """Make an API token; it is printed alone on the last line, and only once."""
    user = user_or_fail(username)
    row, token = commit_or_fail(lambda: token_service.create_token(db.session, user, name))
    click.echo(f"Token {row.id} ({row.name}) for {user.username}; it is shown once, keep it now:", err=True)
    click.echo(token)


@tokens_cli.command("list")
@click.argument("username")
def list_tokens(username):
    """List a user's tokens (id, name, hint, created, last used, state)."""
    user = user_or_fail(username)
    for row in token_service.list_tokens(db.session, user):
        state = f"revoked {row.revoked_at:%Y-%m-%d %H:%M}" if row.revoked_at else "active"
        used = f"{row.last_used_at:%Y-%m-%d %H:%M}" if row.last_used_at else "never"
        click.echo(f"{row.id}\t{row.name}\t{row.hint}…\tcreated {row.created_at:%Y-%m-%d %H:%M}\t"
                   f"last used {used}\t{state}")


@tokens_cli.command("revoke")
@click.argument("username")
@click.argument("token_id", type=int)
def revoke_token(username, token_id):
    """Revoke a token by its id (see 'tokens list'); it stops working at once."""
    user = user_or_fail(username)
    commit_or_fail(lambda: token_service.revoke_token(db.session, user, token_id))
    click.echo(f"Revoked token {token_id} of {user.username}.")


@click.command("setup")
@click.option("--username", default="me", show_default=True)
@click.option("--server-url", default="http://127.0.0.1:5000", show_default=True,
              help="Where Margins will serve, for the words on connecting a browser.")
def setup_command(username, server_url):
    """First run: make a user with a random password and a token, if there is no user yet.

    Either way it ends saying how to connect a browser: with the token it printed, or (later runs,
    when it printed none) with a code from the web view's Settings → Connect a browser."""
    connect = (f"sign in at {server_url}, open Settings -> Connect a browser, and type the code it shows "
               f"into the extension's options (they open when it is installed) with the server {server_url}.")
    if user_service.count_users(db.session):
        click.echo("Margins already has users (.venv/bin/flask --app server users list); "
                   "'.venv/bin/flask --app server tokens create NAME' makes another token, "
                   "'.venv/bin/flask --app server users set-password NAME' a new password.")
        click.echo(f"To connect a browser: {connect}")
        return
    password = secrets.token_urlsafe(12)

    def make_user_and_token():
        user = user_service.create_user(db.session, username, password)
        return user, token_service.create_token(db.session, user, "first token")[1]

    user, token = commit_or_fail(make_user_and_token)
    database = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).render_as_string(hide_password=True)
    click.echo(f"Made user {user.username!r} with password {password}")
    click.echo(f"Database: {database}")
    click.echo(f"To connect a browser: {connect}")
    click.echo(f"Or paste this API token (shown once) into the extension's options, with the server {server_url}:")
    click.echo(token)


COMMANDS = (users_cli, tokens_cli, setup_command)
