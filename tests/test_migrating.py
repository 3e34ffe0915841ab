"""The schema against the code: a server never runs on a database of another migration.

Each test makes a SQLite database of its own, because it moves the schema
to another migration.
"""

import pytest
from sqlalchemy import create_engine, text

from server import create_app
from server.migrating import SchemaMismatch

from .live_server import LiveServer, run_cli


def _database_at(tmp_path, revision: str) -> str:
    """A database migrated to ``revision`` (by a Margins of that release, as far as it can tell)."""
    url = f"sqlite:///{tmp_path / 'margins.sqlite3'}"
    run_cli(["db", "upgrade", revision], database_url=url, env={"MARGINS_AUTO_MIGRATE": "0"}, check=True)
    return url


def _app(tmp_path, url: str, **overrides):
    return create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "SQLALCHEMY_DATABASE_URI": url, **overrides})


def test_without_auto_migrate_an_old_schema_gets_503_until_db_upgrade_runs(tmp_path):
    url = _database_at(tmp_path, "0002")
    client = _app(tmp_path, url, MARGINS_AUTO_MIGRATE=False).test_client()

    refused = client.get("/login")
    assert refused.status_code == 503
    assert refused.json["error"]["code"] == "schema_not_current"
    assert "at migration 0002" in refused.json["error"]["message"]
    assert "flask --app server db upgrade" in refused.json["error"]["message"]

    run_cli(["db", "upgrade"], database_url=url, env={"MARGINS_AUTO_MIGRATE": "0"}, check=True)
    assert client.get("/login").status_code == 200


def test_with_auto_migrate_an_old_schema_is_upgraded_on_start(tmp_path):
    url = _database_at(tmp_path, "0002")
    client = _app(tmp_path, url).test_client()
    assert client.get("/login").status_code == 200
    with create_engine(url).connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM pragma_table_info('users') "
                                       "WHERE name = 'session_version'")).scalar() == 1


def _migrated_by_a_newer_release(url: str) -> None:
    with create_engine(url).begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))


def test_a_database_a_newer_release_migrated_stops_the_app_at_start(tmp_path):
    url = _database_at(tmp_path, "head")
    _migrated_by_a_newer_release(url)
    with pytest.raises(SchemaMismatch, match="at migration 9999, which this Margins does not know"):
        _app(tmp_path, url)


def test_gunicorn_refuses_to_serve_a_newer_schema_and_says_why(tmp_path):
    """The workers fail to boot, so gunicorn stops (a proxy in front moves on) instead of hanging."""
    url = _database_at(tmp_path, "head")
    _migrated_by_a_newer_release(url)
    with pytest.raises(RuntimeError, match="gunicorn exited") as stopped:
        LiveServer(url, workers=1, startup_timeout=60).start()
    assert "a newer release migrated it" in str(stopped.value)
