"""Configuration: defaults, then MARGINS_* environment variables, then overrides.

Every setting a deployment may change is declared once in ``SETTINGS`` and read
from the environment, so one image or checkout serves SQLite on a laptop and
PostgreSQL behind many app servers alike. The README lists them.
"""

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from limits import parse_many

from .paths import API_PREFIX

MIB = 1024 * 1024


def _count(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError("must be 0 or more")
    return number


def _yes(value: str) -> bool:
    return value.lower() in ("1", "true", "yes")


def _not_no(value: str) -> bool:
    return value.lower() not in ("0", "false", "no")


@dataclass(frozen=True)
class Setting:
    """A setting a deployment may change: its environment variable, the Flask config key it sets,
    its default (None: see ``help``), how the variable's text is read, and what it does."""

    variable: str
    key: str
    default: object
    parse: Callable[[str], object]
    help: str


#: Read before the others (by create_app): where the instance folder is.
INSTANCE_PATH = Setting("MARGINS_INSTANCE_PATH", "INSTANCE_PATH", None, str,
                        "The folder of the secret key and the SQLite file (default: instance/ beside the code).")
#: The settings of the app's config, once. The README documents each (tests/test_config.py checks it).
APP_SETTINGS = (
    Setting("MARGINS_DATABASE_URL", "SQLALCHEMY_DATABASE_URI", None, str,
            "sqlite:///… or postgresql://… (default: margins.sqlite3 in the instance folder)."),
    Setting("MARGINS_SECRET_KEY", "SECRET_KEY", None, str,
            "Signs sessions and undo forms (default: made once into the instance folder)."),
    Setting("MARGINS_MAX_BODY_BYTES", "MAX_CONTENT_LENGTH", 16 * MIB, int,
            "The largest request body, after gzip decompression."),
    Setting("MARGINS_MAX_PDF_BYTES", "MARGINS_MAX_PDF_BYTES", 50 * MIB, int,
            "The largest PDF kept as a page's file (after gzip decompression); a larger one is not stored, "
            "its highlights are kept."),
    Setting("MARGINS_PDF_TEXT_SECONDS", "MARGINS_PDF_TEXT_SECONDS", 20, int,
            "How long reading a PDF's text may take; a slower file keeps the text of the pages read by then."),
    Setting("MARGINS_AUTO_MIGRATE", "MARGINS_AUTO_MIGRATE", True, _not_no,
            "Upgrade the database on start; 0 makes the server answer 503 until it is upgraded."),
    Setting("MARGINS_SECURE_COOKIES", "SESSION_COOKIE_SECURE", False, _yes,
            "1 when served over https: cookies are sent over https only."),
    Setting("MARGINS_RATELIMIT_WRITES", "MARGINS_RATELIMIT_WRITES", "1200 per minute", str,
            "API writes per token (an offline replay of several hundred highlights goes through in one go)."),
    Setting("MARGINS_RATELIMIT_LOGIN", "MARGINS_RATELIMIT_LOGIN", "10 per minute;50 per hour", str,
            "Failed sign-ins per client address; also failed connect codes per address and wrong "
            "current passwords per account."),
    Setting("MARGINS_RATELIMIT_LOGIN_PER_USER", "MARGINS_RATELIMIT_LOGIN_PER_USER", "100 per hour", str,
            "Failed sign-ins per username, from any address (looser: see web/auth.py)."),
    Setting("MARGINS_RATELIMIT_STORAGE_URI", "RATELIMIT_STORAGE_URI", "memory://", str,
            "Where the limits count: memory:// per worker, redis://host:6379 shared by all."),
    Setting("MARGINS_PROXIES", "MARGINS_PROXIES", 0, _count,
            "Reverse proxies in front whose X-Forwarded-For/-Proto/-Host are trusted."),
)
SETTINGS = (INSTANCE_PATH, *APP_SETTINGS)
#: Flask-Limiter limit strings ("10 per minute;50 per hour"), or "off".
RATE_LIMITS = ("MARGINS_RATELIMIT_WRITES", "MARGINS_RATELIMIT_LOGIN", "MARGINS_RATELIMIT_LOGIN_PER_USER")


def instance_path_setting() -> str | None:
    return os.environ.get(INSTANCE_PATH.variable) or None


def build_config(instance_path: str, overrides: dict | None) -> dict:
    """The app's configuration; creates the instance folder and secret key file as needed."""
    # Owner only: it holds the secret key and the SQLite file (password hashes among it).
    Path(instance_path).mkdir(mode=0o700, parents=True, exist_ok=True)
    config = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(instance_path) / 'margins.sqlite3'}"}
    for setting in APP_SETTINGS:
        if setting.default is not None:
            config[setting.key] = setting.default
        if value := os.environ.get(setting.variable):
            try:
                config[setting.key] = setting.parse(value)
            except ValueError as error:
                raise ValueError(f"{setting.variable}={value!r} is not a valid setting: {error}") from None
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
