"""Marshmallow fields that hold what every database can store."""

from datetime import timezone

from marshmallow import ValidationError, fields

from ..services.exporting.values import iso_timestamp
from ..services.storable import made_storable, problem_with


class Text(fields.String):
    """A string without NUL characters or unpaired surrogates (PostgreSQL and UTF-8 refuse both)."""

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if problem := problem_with(value):
            raise ValidationError(problem)
        return value


class Html(fields.String):
    """Page HTML as captured: NULs dropped and broken surrogates replaced, as browsers do."""

    def _deserialize(self, value, attr, data, **kwargs):
        return made_storable(super()._deserialize(value, attr, data, **kwargs))


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
        return iso_timestamp(value)
