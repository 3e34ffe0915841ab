"""``flask --app server mcp --user NAME``: the MCP server over stdio, for assistants on this machine.

The SDK (``.caller``, ``.tools``) is imported when the command runs, not when the CLI is built: every
app process builds the CLI, and the SDK with pydantic, starlette and the rest is about 40 MB of it.
"""

import click
from flask.cli import with_appcontext

from ..db import db
from ..services.users import find_user


@click.command("mcp")
@click.option("--user", "username", required=True, help="Whose highlights the assistant reads and writes.")
@with_appcontext
def mcp_command(username):
    """Serve MCP over stdin/stdout, as USER (e.g. for Claude Desktop or any MCP client)."""
    from .caller import Caller, current
    from .tools import server

    user = find_user(db.session, username)
    if user is None:
        raise click.ClickException(f"No user {username!r}; 'flask --app server users create {username}' makes one.")
    db.session.remove()  # each tool call opens a transaction of its own
    current.set(Caller(user.id))
    server.run("stdio")


COMMANDS = (mcp_command,)
