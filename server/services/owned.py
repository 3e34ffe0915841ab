"""Looking up a user's own rows by id: another user's rows are simply not there."""

from sqlalchemy import select

from .limits import MAX_INTEGER


def owned_row(session, model, user_id: int, row_id: int):
    """The user's row of ``model`` with this id, or None."""
    if not 0 < row_id <= MAX_INTEGER:  # beyond it ids cannot exist, and the database would refuse to compare it
        return None
    return session.scalar(select(model).where(model.id == row_id, model.user_id == user_id))
