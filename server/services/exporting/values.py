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
