"""Accounts: creation, passwords and sign-out. Registration is closed; the CLI makes users."""

import re
from functools import cache

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..models import ApiToken, User
from .errors import Conflict, Invalid

USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
MIN_PASSWORD = 8
#: How passwords are hashed (Werkzeug's method: scrypt, its default). The test suite, which makes
#: thousands of users at 0.1 s of CPU each, sets a cheap one for its own (tests/conftest.py).
HASH_METHOD = "scrypt"


def create_user(session, username: str, password: str) -> User:
    if not USERNAME.fullmatch(username or ""):
        raise Invalid(
            "A username is 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit.",
            {"username": ["not a valid username"]},
        )
    check_new_password(password)
    if find_user(session, username) is not None:
        raise Conflict(f"User {username!r} already exists; pick another name.")
    user = User(
        username=username,
        username_key=username.casefold(),
        password_hash=generate_password_hash(password, method=HASH_METHOD),
    )
    session.add(user)
    session.flush()
    return user


def check_new_password(password: str) -> None:
    """Raise Invalid, saying what to do, for a password an account may not be given."""
    length = len(password or "")
    if length < MIN_PASSWORD:
        raise Invalid(
            f"A password needs at least {MIN_PASSWORD} characters (this one has {length}); choose a longer one.",
            {"password": ["too short"]},
        )


def set_password(session, user: User, password: str) -> None:
    """Give the user a new password and end every one of their web sessions.

    API tokens keep working. A view that changes the signed-in person's own
    password signs that session in again afterwards.
    """
    check_new_password(password)
    user.password_hash = generate_password_hash(password, method=HASH_METHOD)
    end_sessions(session, user)
    session.flush()


def find_user(session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username_key == username.casefold()))


def check_password(session, username: str, password: str) -> User | None:
    """The user whose password this is, else None. An unknown username costs one password hash too,
    so how long the answer takes does not tell whether the user exists."""
    user = find_user(session, username)
    if user is None:
        check_password_hash(_stand_in_hash(HASH_METHOD), password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


@cache
def _stand_in_hash(method: str) -> str:
    """A hash made as users' hashes are made (the same method and cost), of a password nobody has."""
    return generate_password_hash("a password no user has", method=method)


def end_sessions(session, user: User) -> None:
    """Sign the user out of every web session (API tokens are not touched)."""
    user.session_version += 1


def list_users(session) -> list[tuple[User, int]]:
    """Every account by name, with how many API tokens it has that are not revoked."""
    active = (
        select(func.count()).where(ApiToken.user_id == User.id, ApiToken.revoked_at.is_(None))
        .correlate(User).scalar_subquery()
    )
    return [(user, count) for user, count in session.execute(select(User, active).order_by(User.username_key))]


def count_users(session) -> int:
    return session.scalar(select(func.count()).select_from(User))
