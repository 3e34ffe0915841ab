"""Small query helpers shared by the list endpoints."""

from sqlalchemy import func, or_


def contains(columns, text: str):
    """Case-insensitive "contains" over columns, with LIKE wildcards in ``text`` taken literally."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    return or_(*(func.lower(column).like(pattern, escape="\\") for column in columns))
