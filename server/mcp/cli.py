"""``flask --app server mcp --user NAME``: the MCP server over stdio, for assistants on this machine."""

import click
from flask.cli import with_appcontext

from ..db import db
from ..services.users import find_user
from .caller import Caller, current
from .tools import server


@click.command("mcp")
@click.option("--user", "username", required=True, help="Whose highlights the assistant reads and writes.")
@with_appcontext
def mcp_command(username):
    """Serve MCP over stdin/stdout, as USER (e.g. for Claude Desktop or any MCP client)."""
    user = find_user(db.session, username)
    if user is None:
        raise click.ClickException(f"No user {username!r}; 'flask --app server users create {username}' makes one.")
    db.session.remove()  # each tool call opens a transaction of its own
    current.set(Caller(user.id))
    server.run("stdio")


COMMANDS = (mcp_command,)
