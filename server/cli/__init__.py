"""Command-line tools (``flask --app server …``): one module per command group."""

from . import accounts, snapshots


def init_app(app) -> None:
    for command in accounts.COMMANDS + snapshots.COMMANDS:
        app.cli.add_command(command)
