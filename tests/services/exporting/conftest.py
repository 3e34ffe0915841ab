"""Helpers for export tests: run an export to bytes, as a user."""

import pytest

from server.db import db
from server.services import exporting
from server.services.exporting import Selection


@pytest.fixture
def export_bytes(app):
    """``export_bytes(user_id, "json", tag=...)``: the whole export as bytes."""

    def run(user_id: int, format_name: str, template: str | None = None, **filters) -> bytes:
        with app.app_context():
            try:
                return b"".join(exporting.export(db.session, user_id, format_name, Selection(**filters), template))
            finally:
                db.session.rollback()

    return run
