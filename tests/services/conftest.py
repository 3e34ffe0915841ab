import pytest

from server.db import db


@pytest.fixture
def session(app):
    """The database session the services are given, inside the app; what a test leaves
    uncommitted is rolled back (and the tables are emptied after each test anyway)."""
    with app.app_context():
        yield db.session
        db.session.rollback()
