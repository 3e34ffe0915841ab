"""API tokens: made once and shown once, kept as sha256, revocable."""

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import Row, bindparam, select, update
from sqlalchemy.exc import OperationalError

from ..db import is_lock_timeout, write_intent
from ..models import ApiToken, User, utcnow
from .errors import Invalid, NotFound
from .owned import owned_row

PREFIX = "mrg_"
#: last_used_at is refreshed at most this often, so reads don't all become writes
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session, user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new token for the user; returns the row and the token itself (not stored)."""
    name = (name or "").strip() or "API token"
    if len(name) > 100:
        raise Invalid("A token name is at most 100 characters.", {"name": ["too long"]})
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=name, token_hash=hash_token(token), hint=token[:10])
    session.add(row)
    session.flush()
    return row, token


def list_tokens(session, user: User) -> list[ApiToken]:
    return list(session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)
    ))


def revoke_token(session, user: User, token_id: int) -> ApiToken:
    row = owned_row(session, ApiToken, user.id, token_id)
    if row is None:
        raise NotFound(f"{user.username} has no token {token_id}; 'tokens list' shows their tokens.")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
    return row


#: A live token and its user, in one prepared statement (a revoked token is not found, from the moment
#: its revocation is committed: nothing is cached).
_LIVE_TOKEN = (
    select(User.id, User.username, User.created_at, ApiToken.id.label("token_id"), ApiToken.user_id,
           ApiToken.last_used_at)
    .join(User, User.id == ApiToken.user_id)
    .where(ApiToken.token_hash == bindparam("token_hash"), ApiToken.revoked_at.is_(None))
)


def authenticate(session, token: str) -> Row | None:
    """The live token's user (``id``, ``username``, ``created_at``) and the token's ``token_id``, ``user_id``
    and ``last_used_at``; None for an unknown or revoked token."""
    session.flush()  # a revocation not yet flushed counts
    return _live_token(session.connection(), token)


def _live_token(connection, token: str) -> Row | None:
    if not token.startswith(PREFIX):
        return None
    return connection.execute(_LIVE_TOKEN, {"token_hash": hash_token(token)}).first()


def use_to_record(row: Row) -> bool:
    """Whether the token's last_used_at is due for a refresh (it is kept to the minute)."""
    return row.last_used_at is None or utcnow() - row.last_used_at >= LAST_USED_RESOLUTION


def record_use(engine, token_id: int) -> None:
    """Set last_used_at to now, in a transaction of its own.

    A transaction of its own, whose first statement is the write, so that a
    read-only request never has to upgrade its read transaction to a write.
    While another write holds SQLite's lock (an import) the refresh is skipped: it is only a
    hint, and the request it came with may be a read, which the lock does not stop.
    """
    try:
        with engine.begin() as connection:
            connection.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=utcnow()))
    except OperationalError as error:
        if not is_lock_timeout(error):
            raise


def identify(engine, token: str) -> Row | None:
    """The live token and its user as ``authenticate`` gives them (None for an unknown or revoked one),
    its use recorded; for a request's first step, before its session has done anything.

    The lookup is a read transaction of its own, even in a request that
    writes: on SQLite the work takes the write lock only when it starts, so
    other workers check tokens and validate bodies meanwhile. It runs on a
    connection of the engine, not through the request's session, whose
    transaction bookkeeping cost more than the statement (docs/performance.md, "Ingest").
    """
    intent = write_intent.set(False)
    try:
        with engine.connect() as connection:
            row = _live_token(connection, token)
    finally:
        write_intent.reset(intent)
    if row is not None and use_to_record(row):
        record_use(engine, row.token_id)  # on a connection of its own
    return row
