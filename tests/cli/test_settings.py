"""``flask settings``: the settings table, as server/config.py declares it."""

from server.config import SETTINGS


def test_settings_lists_each_variable_with_its_default_and_help(app):
    result = app.test_cli_runner().invoke(args=["settings"])
    assert result.exit_code == 0
    assert "MARGINS_RATELIMIT_WRITES (default '1200 per minute')" in result.output
    assert "MARGINS_MAX_BODY_BYTES (default 16777216)" in result.output
    for setting in SETTINGS:
        assert f"{setting.variable}" in result.output and setting.help in result.output


def test_settings_shows_no_value_that_is_set(app):
    """The secret key is a setting; what it is set to never shows."""
    result = app.test_cli_runner().invoke(args=["settings"])
    assert app.config["SECRET_KEY"] not in result.output
