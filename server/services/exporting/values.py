"""How exports write values: timestamps in UTC, one spelling everywhere."""

from datetime import datetime, timezone


def iso_timestamp(moment: datetime | None) -> str | None:
    """``2026-11-23T10:00:00.000000Z``, as the API writes times."""
    if moment is None:
        return None
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


def parse_timestamp(text: str) -> datetime:
    """An ISO 8601 time; without a zone it is taken as UTC. Raises ValueError."""
    moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def stored_timestamp(value: datetime | str | None) -> str | None:
    """:func:`iso_timestamp` of a UTC time column read without its type's conversion (as ``selection``
    reads a highlight's): the text SQLite stores (``2026-11-23 10:00:00.000000``) respelled without
    parsing, a naive datetime (PostgreSQL's) formatted as it is, anything else parsed first."""
    if isinstance(value, str):
        if len(value) == 26 and value[10] == " " and value[19] == ".":
            return f"{value[:10]}T{value[11:]}Z"
        return iso_timestamp(parse_timestamp(value))
    if value is not None and value.tzinfo is None:
        return value.isoformat(timespec="microseconds") + "Z"
    return iso_timestamp(value)
