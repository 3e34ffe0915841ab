"""Change numbers for the highlight feed.

Each write to a user's highlights takes the next number from the user's
row. On PostgreSQL the UPDATE locks that row until the transaction ends, so
numbers become visible in order and a client that follows the feed by
number never skips a change made by a slower, concurrent request. SQLite
serializes writers anyway.
"""

from sqlalchemy import update

from ..models import User


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
