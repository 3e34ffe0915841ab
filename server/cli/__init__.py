"""Command-line tools (``flask --app server …``): one module per command group."""

from . import accounts, search, snapshots, transfer


def init_app(app) -> None:
    for command in accounts.COMMANDS + search.COMMANDS + snapshots.COMMANDS + transfer.COMMANDS:
        app.cli.add_command(command)
