"""Configuration: defaults, then MARGINS_* environment variables, then overrides.

Every setting a deployment may change is read from the environment, so one
image or checkout serves SQLite on a laptop and PostgreSQL behind many app
servers alike. The README lists them.
"""

import os
import secrets
from pathlib import Path

MIB = 1024 * 1024

# environment variable -> (Flask config key, parser)
_ENVIRONMENT = {
    "MARGINS_DATABASE_URL": ("SQLALCHEMY_DATABASE_URI", str),
    "MARGINS_SECRET_KEY": ("SECRET_KEY", str),
    "MARGINS_MAX_BODY_BYTES": ("MAX_CONTENT_LENGTH", int),
    "MARGINS_AUTO_MIGRATE": ("MARGINS_AUTO_MIGRATE", lambda v: v.lower() not in ("0", "false", "no")),
    "MARGINS_SECURE_COOKIES": ("SESSION_COOKIE_SECURE", lambda v: v.lower() in ("1", "true", "yes")),
}


def build_config(instance_path: str, overrides: dict | None) -> dict:
    """The app's configuration; creates the instance folder and secret key file as needed."""
    Path(instance_path).mkdir(parents=True, exist_ok=True)
    config = {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(instance_path) / 'margins.sqlite3'}",
        "MAX_CONTENT_LENGTH": 16 * MIB,
        "MARGINS_AUTO_MIGRATE": True,
        "SESSION_COOKIE_SECURE": False,  # set MARGINS_SECURE_COOKIES=1 when served over https
    }
    for variable, (key, parse) in _ENVIRONMENT.items():
        if os.environ.get(variable):
            config[key] = parse(os.environ[variable])
    config.update(overrides or {})
    config["SQLALCHEMY_DATABASE_URI"] = normalize_database_url(config["SQLALCHEMY_DATABASE_URI"])
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = _instance_secret_key(Path(instance_path))
    config.update(_api_docs_config())
    return config


def normalize_database_url(url: str) -> str:
    """Use the psycopg (3) driver for plain postgres:// and postgresql:// URLs."""
    for plain in ("postgres://", "postgresql://"):
        if url.startswith(plain):
            return "postgresql+psycopg://" + url[len(plain):]
    return url


def _instance_secret_key(instance: Path) -> str:
    """A random key made once and kept in the instance folder (readable by the owner only)."""
    path = instance / "secret_key"
    if not path.exists():
        # Written aside then linked in place: two workers starting at once agree on one key.
        draft = instance / f".secret_key.{secrets.token_hex(8)}"
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


def _api_docs_config() -> dict:
    return {
        "API_TITLE": "Margins API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
    }
