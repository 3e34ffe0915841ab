"""Configuration from the environment, the instance folder and the SQLite tuning."""

from sqlalchemy import text

from server import create_app
from server.config import normalize_database_url
from server.db import db


def test_the_secret_key_is_made_once_and_kept(tmp_path):
    first = create_app({"INSTANCE_PATH": str(tmp_path)})
    second = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert len(first.config["SECRET_KEY"]) == 64
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_environment_variables_configure_the_app(tmp_path, monkeypatch):
    monkeypatch.setenv("MARGINS_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("MARGINS_DATABASE_URL", f"sqlite:///{tmp_path / 'elsewhere.sqlite3'}")
    monkeypatch.setenv("MARGINS_SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("MARGINS_MAX_BODY_BYTES", "1234")
    app = create_app()
    assert app.instance_path == str(tmp_path)
    assert (tmp_path / "elsewhere.sqlite3").exists()
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert app.config["MAX_CONTENT_LENGTH"] == 1234


def test_plain_postgresql_urls_use_psycopg():
    assert normalize_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    with app.app_context(), db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
