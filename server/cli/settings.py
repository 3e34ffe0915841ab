"""Settings: ``flask --app server settings`` lists every MARGINS_* setting, its default and what it does."""

import click

from ..config import SETTINGS


@click.command("settings")
def settings_command():
    """List the settings (environment variables) with their defaults; values set are not shown."""
    for setting in SETTINGS:
        default = "" if setting.default is None else f" (default {setting.default!r})"
        click.echo(f"{setting.variable}{default}\n    {setting.help}")


COMMANDS = (settings_command,)
