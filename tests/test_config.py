"""Configuration from the environment, the instance folder and the SQLite tuning."""

import re

import pytest
from limits import parse_many
from sqlalchemy import text

from server import create_app
from server.config import APP_SETTINGS, SETTINGS, normalize_database_url
from server.db import db
from tests.paths import REPO


def test_the_secret_key_is_made_once_and_kept(tmp_path):
    first = create_app({"INSTANCE_PATH": str(tmp_path)})
    second = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert len(first.config["SECRET_KEY"]) == 64
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_a_new_instance_folder_is_the_owners_alone(tmp_path):
    """It holds the secret key and the SQLite file, password hashes among them."""
    create_app({"INSTANCE_PATH": str(tmp_path / "instance")})
    assert (tmp_path / "instance").stat().st_mode & 0o077 == 0
    assert (tmp_path / "instance" / "margins.sqlite3").exists()


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


def test_abuse_limits_and_proxies_come_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("MARGINS_RATELIMIT_WRITES", "100 per minute")
    monkeypatch.setenv("MARGINS_RATELIMIT_LOGIN", "5 per minute;20 per hour")
    monkeypatch.setenv("MARGINS_RATELIMIT_LOGIN_PER_USER", "Off")
    monkeypatch.setenv("MARGINS_RATELIMIT_STORAGE_URI", "memory://")
    monkeypatch.setenv("MARGINS_PROXIES", "2")
    config = create_app({"INSTANCE_PATH": str(tmp_path)}).config
    assert config["MARGINS_RATELIMIT_WRITES"] == "100 per minute"
    assert config["MARGINS_RATELIMIT_LOGIN"] == "5 per minute;20 per hour"
    assert config["MARGINS_RATELIMIT_LOGIN_PER_USER"] is None  # "off", in any case
    assert config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert config["MARGINS_PROXIES"] == 2


@pytest.mark.parametrize("variable, value, says", [
    ("MARGINS_RATELIMIT_WRITES", "lots", "MARGINS_RATELIMIT_WRITES='lots' is not a rate limit"),
    ("MARGINS_RATELIMIT_LOGIN", "10 a minute", "MARGINS_RATELIMIT_LOGIN='10 a minute' is not a rate limit"),
    ("MARGINS_PROXIES", "one", "MARGINS_PROXIES='one' is not a valid setting"),
    ("MARGINS_PROXIES", "-1", "MARGINS_PROXIES='-1' is not a valid setting: must be 0 or more"),
])
def test_a_bad_setting_stops_the_server_at_start_and_is_named(tmp_path, monkeypatch, variable, value, says):
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValueError, match=re.escape(says)):
        create_app({"INSTANCE_PATH": str(tmp_path)})


def test_by_default_one_address_alone_cannot_lock_an_account_out(tmp_path):
    config = create_app({"INSTANCE_PATH": str(tmp_path)}).config

    def per_hour(limits: str) -> float:
        return min(item.amount * 3600 / item.get_expiry() for item in parse_many(limits))

    assert per_hour(config["MARGINS_RATELIMIT_LOGIN"]) < per_hour(config["MARGINS_RATELIMIT_LOGIN_PER_USER"])
    assert config["MARGINS_PROXIES"] == 0, "X-Forwarded-For is not trusted unless told"


def test_every_setting_is_documented():
    """Each setting of server.config.SETTINGS is named in the README or a doc under docs/."""
    docs = "\n".join(path.read_text() for path in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))])
    undocumented = [setting.variable for setting in SETTINGS if not re.search(rf"\b{setting.variable}\b", docs)]
    assert undocumented == []


def test_each_setting_is_read_from_its_variable(tmp_path, monkeypatch):
    """The table drives the config: a variable set to its default's text gives the default back."""
    for setting in APP_SETTINGS:
        if setting.default is not None:
            monkeypatch.setenv(setting.variable, str(int(setting.default) if isinstance(setting.default, bool)
                                                     else setting.default))
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert all(app.config[s.key] == s.default for s in APP_SETTINGS if s.default is not None)
