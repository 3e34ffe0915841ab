"""``flask setup`` (what bin/serve runs first) ends saying how to connect a browser: with the token it
printed on the first run; on later runs, when it printed none, with a code from Settings."""

import re

from server.db import db
from server.services import tokens

SERVER = "http://127.0.0.1:5055"
TOKEN = re.compile(r"mrg_[A-Za-z0-9_-]{20,}")


def setup(app):
    with app.app_context():  # as the flask command gives it
        result = app.test_cli_runner().invoke(args=["setup", "--server-url", SERVER])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_first_run_offers_a_code_or_the_token_it_printed(app):
    output = setup(app)
    assert f"To connect a browser: sign in at {SERVER}, open Settings -> Connect a browser" in output
    assert f"Or paste this API token (shown once) into the extension's options, with the server {SERVER}:" in output
    token = output.strip().splitlines()[-1]
    assert TOKEN.fullmatch(token)
    with app.app_context():
        assert tokens.authenticate(db.session, token).username == "me"


def test_later_runs_print_no_token_and_do_not_speak_of_one(app):
    setup(app)
    output = setup(app)
    assert "already has users" in output
    assert f"To connect a browser: sign in at {SERVER}, open Settings -> Connect a browser, and type the code" in output
    assert not TOKEN.search(output)
    assert "paste this API token" not in output and "printed above" not in output
