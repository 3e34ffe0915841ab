"""docs/deploy.md stays true where it can be checked without nginx or systemd.

- Several app servers that share MARGINS_SECRET_KEY share sessions and CSRF
  tokens, each with an instance folder of its own; a server with another key
  (a rotated one) signs everyone out but still takes their API tokens.
- deploy/backup-sqlite.sh, run while Margins serves, makes a copy that holds
  every highlight the server acknowledged, and Margins opens it as it is.
"""

import http.cookiejar
import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from server import create_app
from server.db import db
from server.services import tokens, users

from ..api_client import ApiClient
from ..live_server import LiveServer
from ..paths import REPO

BACKUP_SQLITE = REPO / "deploy" / "backup-sqlite.sh"
TIMEOUT = 10


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A cookie jar and forms over plain HTTP: what a browser does, without the browser."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirects)

    def request(self, url: str, form: dict | None = None) -> tuple[int, str]:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            with self._opener.open(url, data=data, timeout=TIMEOUT) as answer:
                return answer.status, answer.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def csrf_token(self, url: str) -> str:
        status, page = self.request(url)
        assert status == 200, f"GET {url}: {status}"
        return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def api(url: str, token: str, method: str = "GET", body: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(
        url, method=method, data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def open_database(path: Path):
    """Margins in this process on the SQLite file ``path`` (its folder as the instance folder)."""
    return create_app({"INSTANCE_PATH": str(path.parent), "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
                       "TESTING": True})


def test_app_servers_sharing_the_secret_key_share_sessions_and_csrf_tokens(app, database_url, ann, client):
    # ``app`` first: the schema exists before the servers start.
    key = {"MARGINS_SECRET_KEY": "0123456789abcdef" * 4}
    with LiveServer(database_url, workers=1, env=key) as first, \
            LiveServer(database_url, workers=1, env=key) as second:
        # Each has an instance folder of its own, and with the key set keeps no secret there.
        assert first.instance_path != second.instance_path
        assert not any((server.instance_path / "secret_key").exists() for server in (first, second))
        browser = Browser()
        # Signed in on the first server, with the form the first server made...
        form = {"username": ann.username, "password": ann.password, "csrf_token": browser.csrf_token(first.url + "/login")}
        assert browser.request(first.url + "/login", form)[0] == 302
        # ...the second one knows the session, and takes a form made by the first.
        assert browser.request(second.url + "/")[0] == 200
        form = {"name": "made on the second", "csrf_token": browser.csrf_token(first.url + "/settings")}
        status, page = browser.request(second.url + "/settings/tokens", form)
        assert status == 200 and "made on the second" in page
        assert api(second.url + "/api/v1/me", ann.token)[0] == 200

    # A rotated key (``app`` has a key of its own): signed out, while API tokens keep working.
    session = next(cookie for cookie in browser.jar if cookie.name == "session")
    client.set_cookie(session.name, session.value)
    answer = client.get("/")
    assert answer.status_code == 302 and "/login" in answer.location
    assert ann.api.get("/me").status_code == 200


def test_sqlite_online_backup_taken_while_serving_restores_every_acknowledged_highlight(tmp_path):
    live, backup = tmp_path / "live" / "margins.sqlite3", tmp_path / "restored" / "margins.sqlite3"
    live.parent.mkdir()
    with open_database(live).app_context():
        user = users.create_user(db.session, "sam", "a long passphrase")
        token = tokens.create_token(db.session, user, "backup test")[1]
        db.session.commit()
        db.engine.dispose()

    with LiveServer(f"sqlite:///{live}", instance_path=live.parent, workers=1) as server:
        written = {}
        for n in range(5):
            highlight_id = f"00000000-0000-4000-8000-{n:012d}"
            status, body = api(f"{server.url}/api/v1/highlights/{highlight_id}", token, "PUT",
                               {"url": f"https://example.com/{n}", "quote": {"exact": f"kept thought {n}"}})
            assert status == 201, body
            written[highlight_id] = body
        # SQLite in WAL mode: commits sit in the -wal file until a checkpoint, so copying
        # margins.sqlite3 alone is no backup.
        assert live.with_name("margins.sqlite3-wal").stat().st_size > 0
        backup.parent.mkdir()
        subprocess.run([BACKUP_SQLITE, live, backup], check=True, timeout=60,
                       env={**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"})

    restored = open_database(backup)
    api_client = ApiClient(restored.test_client(), token)
    for highlight_id, body in written.items():
        answer = api_client.get(f"/highlights/{highlight_id}")
        assert (answer.status_code, answer.json) == (200, body)
    with restored.app_context():
        db.engine.dispose()
