"""Command-line tools (``flask --app server …``): one module per command group."""

from ..mcp.cli import COMMANDS as MCP_COMMANDS
from . import accounts, export_import, search, settings, snapshots


def init_app(app) -> None:
    for command in (accounts.COMMANDS + search.COMMANDS + snapshots.COMMANDS + export_import.COMMANDS
                    + settings.COMMANDS + MCP_COMMANDS):
        app.cli.add_command(command)
