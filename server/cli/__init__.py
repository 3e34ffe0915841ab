"""Command-line tools (``flask --app server …``): one module per command group."""

from . import accounts


def init_app(app) -> None:
    for command in accounts.COMMANDS:
        app.cli.add_command(command)
