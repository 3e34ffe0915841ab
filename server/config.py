"""Configuration: defaults, then MARGINS_* environment variables, then overrides.

Every setting a deployment may change is read from the environment, so one
image or checkout serves SQLite on a laptop and PostgreSQL behind many app
servers alike. The README lists them.
"""

import os
import secrets
from pathlib import Path

from limits import parse_many

from .paths import API_PREFIX

MIB = 1024 * 1024
#: Flask-Limiter limit strings ("10 per minute;50 per hour"), or "off".
RATE_LIMITS = ("MARGINS_RATELIMIT_WRITES", "MARGINS_RATELIMIT_LOGIN", "MARGINS_RATELIMIT_LOGIN_PER_USER")


def _count(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError("must be 0 or more")
    return number


# environment variable -> (Flask config key, parser)
_ENVIRONMENT = {
    "MARGINS_DATABASE_URL": ("SQLALCHEMY_DATABASE_URI", str),
    "MARGINS_SECRET_KEY": ("SECRET_KEY", str),
    "MARGINS_MAX_BODY_BYTES": ("MAX_CONTENT_LENGTH", int),
    "MARGINS_AUTO_MIGRATE": ("MARGINS_AUTO_MIGRATE", lambda v: v.lower() not in ("0", "false", "no")),
    "MARGINS_SECURE_COOKIES": ("SESSION_COOKIE_SECURE", lambda v: v.lower() in ("1", "true", "yes")),
    **{variable: (variable, str) for variable in RATE_LIMITS},
    "MARGINS_RATELIMIT_STORAGE_URI": ("RATELIMIT_STORAGE_URI", str),
    "MARGINS_PROXIES": ("MARGINS_PROXIES", _count),
}


def build_config(instance_path: str, overrides: dict | None) -> dict:
    """The app's configuration; creates the instance folder and secret key file as needed."""
    # Owner only: it holds the secret key and the SQLite file (password hashes among it).
    Path(instance_path).mkdir(mode=0o700, parents=True, exist_ok=True)
    config = {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(instance_path) / 'margins.sqlite3'}",
        "MAX_CONTENT_LENGTH": 16 * MIB,
        "MARGINS_AUTO_MIGRATE": True,
        "SESSION_COOKIE_SECURE": False,  # set MARGINS_SECURE_COOKIES=1 when served over https
        # Per API token: an offline replay of several hundred highlights goes through in one go.
        "MARGINS_RATELIMIT_WRITES": "1200 per minute",
        # Failed sign-ins per client address, and (looser: see web/auth.py) per username.
        "MARGINS_RATELIMIT_LOGIN": "10 per minute;50 per hour",
        "MARGINS_RATELIMIT_LOGIN_PER_USER": "100 per hour",
        # Counts per worker process; redis://host:6379 shares them across workers and app servers.
        "RATELIMIT_STORAGE_URI": "memory://",
        "MARGINS_PROXIES": 0,  # reverse proxies in front whose X-Forwarded-For/-Proto/-Host are trusted
    }
    for variable, (key, parse) in _ENVIRONMENT.items():
        if os.environ.get(variable):
            try:
                config[key] = parse(os.environ[variable])
            except ValueError as error:
                raise ValueError(f"{variable}={os.environ[variable]!r} is not a valid setting: {error}") from None
    config.update(overrides or {})
    config["SQLALCHEMY_DATABASE_URI"] = normalize_database_url(config["SQLALCHEMY_DATABASE_URI"])
    for key in RATE_LIMITS:
        config[key] = rate_limit(key, config[key])
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


def rate_limit(name: str, value: str | None) -> str | None:
    """A limit string checked now, so a typo stops the server at start; None for "off"."""
    if value is None or value.strip().lower() == "off":
        return None
    try:
        parse_many(value)
    except ValueError:
        raise ValueError(f"{name}={value!r} is not a rate limit; write it like '600 per minute' or "
                         "'10 per minute;50 per hour', or 'off'.") from None
    return value


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
        "OPENAPI_URL_PREFIX": API_PREFIX,
        "OPENAPI_JSON_PATH": "openapi.json",
    }
