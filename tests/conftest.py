"""Fixtures: a real database (a SQLite file, or PostgreSQL when TEST_DATABASE_URL is set),
the app, and API clients for users.

On PostgreSQL each test run works in a schema of its own (per xdist worker),
dropped and made anew at the start, so the suite never touches other data.

``@pytest.mark.same_on_every_database`` (or a module's ``pytestmark``) marks a test of what no
database changes (the extension's own code, a browser on real pages): it runs on the default
SQLite run only, and is skipped on PostgreSQL, where it would assert the same again.
"""

import os
from dataclasses import dataclass

import pytest
from sqlalchemy import create_engine, text

from server import create_app
from server.config import normalize_database_url
from server.db import db
from server.services import search, tokens, users

from .api_client import ApiClient

#: The server's own password hashing (tests/services/test_users.py pins it). The suite's users get a
#: cheap hash instead: scrypt costs 0.1 s of CPU a hash, and the suite makes and signs in thousands.
SERVER_HASH_METHOD = users.HASH_METHOD
users.HASH_METHOD = "pbkdf2:sha256:1000"


def pytest_configure(config):
    config.addinivalue_line("markers", "same_on_every_database: what no database changes; run on SQLite only")


def pytest_collection_modifyitems(config, items):
    if not os.environ.get("TEST_DATABASE_URL"):
        return
    skip = pytest.mark.skip(reason="the same on every database: runs on the default SQLite run")
    for item in items:
        if item.get_closest_marker("same_on_every_database"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory, worker_id) -> str:
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'margins.sqlite3'}"
    base = normalize_database_url(base)
    schema = f"margins_test_{worker_id}"
    engine = create_engine(base)
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options=-csearch_path%3D{schema}"


@pytest.fixture(scope="session")
def instance_path(tmp_path_factory):
    return tmp_path_factory.mktemp("instance")


@pytest.fixture(scope="session")
def make_app(database_url, instance_path):
    """Build an app on the test database; overrides are Flask config keys."""

    def make(**overrides):
        return create_app({
            "INSTANCE_PATH": str(instance_path),
            "SQLALCHEMY_DATABASE_URI": database_url,
            "TESTING": True,
            **overrides,
        })

    return make


@pytest.fixture(scope="session")
def app(make_app):
    return make_app()


@pytest.fixture(autouse=True)
def _empty_database(app):
    """Every test starts from an empty database (the schema stays)."""
    yield
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as connection:
            search.clear(connection)
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())


@pytest.fixture
def client(app):
    return app.test_client()


@dataclass
class Person:
    id: int
    username: str
    password: str
    token: str
    api: ApiClient


@pytest.fixture
def make_person(app, client):
    """Make a user with a token; ``person.api`` calls the API as them."""

    def make(username: str, password: str = "correct horse battery") -> Person:
        with app.app_context():
            user = users.create_user(db.session, username, password)
            _, token = tokens.create_token(db.session, user, "tests")
            db.session.commit()
            return Person(user.id, username, password, token, ApiClient(client, token))

    return make


@pytest.fixture
def ann(make_person) -> Person:
    return make_person("ann")


@pytest.fixture
def bob(make_person) -> Person:
    return make_person("bob")


@pytest.fixture
def login(client):
    """Sign a person in on the test client (a session cookie, as the web view uses)."""

    def sign_in(person: Person):
        page = client.get("/login")
        token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        answer = client.post("/login", data={"username": person.username, "password": person.password,
                                             "csrf_token": token})
        assert answer.status_code == 302, answer.text
        return client

    return sign_in


@pytest.fixture
def in_db(app):
    """Run a function against the database, as the services do: ``in_db(lambda s: ...)``."""

    def run(function):
        with app.app_context():
            try:
                return function(db.session)
            finally:
                db.session.rollback()

    return run
