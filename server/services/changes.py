"""Change numbers for the highlight feed.

Each write to a user's highlights takes the next number from the user's
row. On PostgreSQL the UPDATE locks that row until the transaction ends, so
numbers become visible in order and a client that follows the feed by
number never skips a change made by a slower, concurrent request. SQLite
serializes writers anyway.
"""

from sqlalchemy import select, update

from ..models import User


def lock_user(session, user_id: int) -> None:
    """Serialize this user's writes until the transaction ends.

    Every write service takes it first. Writes that may create pages, URL
    aliases, tags or highlights check for an existing row first; the lock
    makes that check and the insert one step on PostgreSQL, and timestamps
    taken under it follow the order of change numbers. SQLite writers are
    serialized by BEGIN IMMEDIATE already (and ignore FOR UPDATE).
    """
    if session.get_bind().dialect.name != "sqlite":
        session.execute(select(User.id).where(User.id == user_id).with_for_update())


def take_seqs(session, user_id: int, count: int = 1) -> range:
    """Reserve ``count`` consecutive change numbers for the user."""
    last = session.execute(
        update(User)
        .where(User.id == user_id)
        .values(change_seq=User.change_seq + count)
        .returning(User.change_seq)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    return range(last - count + 1, last + 1)


def take_seq(session, user_id: int) -> int:
    return take_seqs(session, user_id, 1)[0]
