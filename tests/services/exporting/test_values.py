"""Times read as the database stores them are written exactly as the API writes the times they stand for."""

from datetime import datetime, timezone

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.dialects import sqlite

from server.models.types import UTCDateTime
from server.services.exporting.values import iso_timestamp, stored_timestamp

moments = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31), timezones=st.just(timezone.utc))


@given(moments)
def test_a_time_as_sqlite_stores_it_is_written_as_the_time(moment):
    dialect = sqlite.dialect()
    stored = UTCDateTime().dialect_impl(dialect).bind_processor(dialect)(moment)
    assert isinstance(stored, str) and stored_timestamp(stored) == iso_timestamp(moment)


@given(moments)
def test_a_naive_utc_time_as_postgresql_gives_it_is_written_as_the_time(moment):
    assert stored_timestamp(moment.replace(tzinfo=None)) == iso_timestamp(moment)


def test_other_spellings_are_parsed_and_missing_times_stay_missing():
    assert stored_timestamp("2026-11-23 10:00:00") == "2026-11-23T10:00:00.000000Z"
    assert stored_timestamp(datetime(2026, 11, 23, 11, tzinfo=timezone.utc)) == "2026-11-23T11:00:00.000000Z"
    assert stored_timestamp(None) is None
