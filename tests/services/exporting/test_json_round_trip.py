"""Margins JSON is lossless: export → import into an empty database → export gives the same bytes.

The data is random (hypothesis), with hostile Unicode everywhere text may
go: titles, metadata, quotes and their context, notes, tags, range
selectors, snapshots.
"""

import json
from datetime import datetime, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.db import db
from server.models import COLORS, Page
from server.services import exporting, importing, users
from server.services.exporting import Selection

from .seeding import seed

# Everything a database can store: no NUL, no lone surrogates.
hostile = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=40)
line = st.text(st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp"), exclude_characters="\x00"),
               min_size=1, max_size=20)
moments = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2040, 1, 1),
                       timezones=st.just(timezone.utc))
tags = st.lists(line.filter(lambda name: name.strip().lstrip("#").strip()), max_size=3)

highlights = st.fixed_dictionaries({
    "exact": hostile.filter(str.strip), "prefix": hostile, "suffix": hostile, "note": hostile,
    "color": st.sampled_from(COLORS), "tags": tags, "created_at": moments,
    "position": st.none() | st.tuples(st.integers(0, 10**6), st.integers(0, 1000)),
    "range": st.none() | st.fixed_dictionaries({"startContainer": hostile, "startOffset": st.integers(0, 99),
                                                "endContainer": hostile, "endOffset": st.integers(0, 99)}),
    "pages": st.none() | st.tuples(st.integers(1, 1000), st.integers(0, 3)).map(lambda p: (p[0], p[0] + p[1])),
})
pages = st.fixed_dictionaries({
    "path": st.text(st.characters(exclude_categories=("Cs", "Cc", "Zs")), min_size=1, max_size=12),
    "title": st.none() | hostile, "author": st.none() | hostile, "site_name": st.none() | hostile,
    "tags": tags, "snapshot": st.none() | hostile, "highlights": st.lists(highlights, max_size=4),
})


def _export(session, user_id: int) -> bytes:
    return b"".join(exporting.export(session, user_id, "json", Selection()))


def _empty(session) -> None:
    session.rollback()
    for table in reversed(db.metadata.sorted_tables):
        session.execute(table.delete())
    session.commit()


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(data=st.lists(pages, max_size=4))
def test_json_export_import_export_is_identical(app, data):
    with app.app_context():
        session = db.session
        _empty(session)
        ann = users.create_user(session, "ann", "correct horse battery")
        seed(session, ann.id, data)
        first = _export(session, ann.id)
        _empty(session)
        again = users.create_user(session, "ann", "correct horse battery")
        importing.import_file(session, again.id, "margins", first)
        session.commit()
        second = _export(session, again.id)
        assert second == first
        exported = json.loads(first)
        assert len(exported["pages"]) == len(data)
        assert sum(len(page["highlights"]) for page in exported["pages"]) == sum(
            len(spec["highlights"]) for spec in data)
        _empty(session)


def test_importing_the_same_json_twice_changes_nothing(app, ann, in_db):
    def seed_and_import_twice(session):
        seed(session, ann.id, [{"path": "a", "title": "T", "tags": ["x"], "snapshot": "text", "highlights": [
            {"exact": "quote", "note": "n", "color": "blue", "tags": ["y"], "position": (3, 5)}]}])
        exported = _export(session, ann.id)
        summary = importing.import_file(session, ann.id, "margins", exported)
        session.commit()
        assert (summary.pages_created, summary.highlights_created, summary.highlights_updated,
                summary.highlights_unchanged) == (0, 0, 0, 1)
        assert _export(session, ann.id) == exported
        assert session.query(Page).count() == 1

    in_db(seed_and_import_twice)
