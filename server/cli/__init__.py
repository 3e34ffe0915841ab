"""Command-line tools (``flask --app server …``): one module per command group."""

from . import accounts, export_import, search, settings, snapshots


def init_app(app) -> None:
    for command in (accounts.COMMANDS + search.COMMANDS + snapshots.COMMANDS + export_import.COMMANDS
                    + settings.COMMANDS):
        app.cli.add_command(command)
