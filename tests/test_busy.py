"""A write that cannot get the database's lock answers 503 with Retry-After (server/busy.py), never 500:
JSON under /api, the error page in the web view. It changed nothing, and sent again it works."""

import re
import sqlite3
import sys
from contextlib import contextmanager

import pytest
from sqlalchemy.engine import make_url

from server.busy import RETRY_AFTER_SECONDS
from server.db import db

from .api_client import ApiClient

PAGE = {"url": "https://example.com/while-an-import-runs", "title": "Written while the lock was held"}


@pytest.fixture
def busy_app(make_app, database_url, monkeypatch):
    """An app on the test database that waits 0.2 s for SQLite's write lock, not 15."""
    if make_url(database_url).get_backend_name() != "sqlite":
        pytest.skip("SQLite's database-wide write lock; PostgreSQL locks rows")
    monkeypatch.setattr(sys.modules["server.db"], "SQLITE_BUSY_TIMEOUT_MS", 200)  # (server.db is also a name)
    app = make_app()
    yield app
    with app.app_context():
        db.engine.dispose()


@contextmanager
def write_lock_held(database_url: str):
    """A second connection to the SQLite file holding the write lock, as a long import does."""
    other = sqlite3.connect(make_url(database_url).database, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_an_api_write_that_cannot_get_the_lock_is_503_with_retry_after(busy_app, database_url, ann):
    api = ApiClient(busy_app.test_client(), ann.token)
    with write_lock_held(database_url):
        answer = api.put("/pages", PAGE)
        assert answer.status_code == 503
        assert answer.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
        assert answer.json["error"]["code"] == "database_busy"
        assert "nothing was changed" in answer.json["error"]["message"]
        assert api.get("/pages").status_code == 200  # reads go on

    assert api.get("/pages").json["items"] == []
    assert api.put("/pages", PAGE).status_code == 201  # sent again


def test_a_web_view_write_that_cannot_get_the_lock_is_the_503_page(busy_app, database_url, ann):
    browser = busy_app.test_client()
    form = browser.get("/login").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    signed_in = browser.post("/login", data={"username": ann.username, "password": ann.password,
                                             "csrf_token": csrf})
    assert signed_in.status_code == 302
    settings = browser.get("/settings").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', settings).group(1)
    tokens_before = settings.count("Revoke")

    with write_lock_held(database_url):
        answer = browser.post("/settings/tokens", data={"name": "phone", "csrf_token": csrf})
        assert answer.status_code == 503
        assert answer.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
        assert answer.mimetype == "text/html"
        assert "nothing was changed" in answer.text and "Traceback" not in answer.text

    assert browser.get("/settings").text.count("Revoke") == tokens_before
    assert browser.post("/settings/tokens", data={"name": "phone", "csrf_token": csrf}).status_code == 200
