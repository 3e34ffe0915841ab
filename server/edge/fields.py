"""Marshmallow fields that hold what every database can store."""

import re
from datetime import timezone

from marshmallow import ValidationError, fields

_SURROGATES = re.compile("[\ud800-\udfff]")


class Text(fields.String):
    """A string without NUL characters or unpaired surrogates (PostgreSQL and UTF-8 refuse both)."""

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in value:
            raise ValidationError("Contains a NUL character, which cannot be stored; remove it.")
        if _SURROGATES.search(value):
            raise ValidationError("Contains an unpaired surrogate (not valid Unicode); send valid UTF-8 text.")
        return value


class Html(fields.String):
    """Page HTML as captured: NULs dropped and broken surrogates replaced, as browsers do."""

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        return _SURROGATES.sub("\ufffd", value.replace("\x00", ""))


class Timestamp(fields.AwareDateTime):
    """UTC timestamps, written as 2026-11-23T10:00:00.000000Z; input without a zone is taken as UTC."""

    def __init__(self, **kwargs):
        super().__init__(format="iso", default_timezone=timezone.utc, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return super()._deserialize(value, attr, data, **kwargs).astimezone(timezone.utc)
        except OverflowError:
            raise ValidationError("Out of range: use a time in the years 1 to 9999, in UTC.") from None

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return value.astimezone(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")
