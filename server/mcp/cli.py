"""``flask --app server mcp --user NAME``: the MCP server over stdio, for assistants on this machine."""

import click
from flask.cli import with_appcontext

from ..cli.common import user_or_fail
from .caller import Caller, current
from .tools import server


@click.command("mcp")
@click.option("--user", "username", required=True, help="Whose highlights the assistant reads and writes.")
@with_appcontext
def mcp_command(username):
    """Serve MCP over stdin/stdout, as USER (e.g. for Claude Desktop or any MCP client)."""
    current.set(Caller(user_or_fail(username).id))
    server.run("stdio")


COMMANDS = (mcp_command,)
