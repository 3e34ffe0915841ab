"""Looking up a user's own rows by id: another user's rows are simply not there."""

from sqlalchemy import select

#: The largest row id (PostgreSQL's integer); ids beyond it cannot exist.
MAX_ID = 2**31 - 1


def owned_row(session, model, user_id: int, row_id: int):
    """The user's row of ``model`` with this id, or None."""
    if not 0 < row_id <= MAX_ID:  # cannot exist, and the database would refuse to compare it
        return None
    return session.scalar(select(model).where(model.id == row_id, model.user_id == user_id))
