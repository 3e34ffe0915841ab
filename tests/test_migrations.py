"""The migrations make exactly the schema the models describe."""

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select

from server import create_app
from server.db import db
from server.models import Page


def _not_search_index(name, type_, parent_names) -> bool:
    """The search index (FTS5 and its shadow tables, or a tsvector table) is made by hand, not from a model."""
    return not (type_ == "table" and name.startswith("search_index"))


def test_the_migrated_database_matches_the_models(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": _not_search_index})
        differences = compare_metadata(context, db.metadata)
    assert differences == [], "models and migrations differ: run 'flask db migrate' and review it"


def test_a_new_sqlite_database_is_made_on_start_and_downgrades_cleanly(tmp_path):
    import flask_migrate

    from server.db import MIGRATIONS

    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert (tmp_path / "margins.sqlite3").exists()
    with app.app_context():
        assert {"users", "pages", "highlights", "snapshots", "tags"} <= set(inspect(db.engine).get_table_names())
        flask_migrate.downgrade(directory=str(MIGRATIONS), revision="base")
        assert set(inspect(db.engine).get_table_names()) == {"alembic_version"}
        flask_migrate.upgrade(directory=str(MIGRATIONS))
        assert "highlights" in inspect(db.engine).get_table_names()


def _start_app(instance_path: str) -> str:
    return create_app({"INSTANCE_PATH": instance_path}).config["SECRET_KEY"]


def test_apps_starting_together_upgrade_once(tmp_path):
    """Workers that start at once (processes, as gunicorn's are) take turns on the
    migration lock; none fails, and all share one secret key."""
    with ProcessPoolExecutor(4, mp_context=multiprocessing.get_context("spawn")) as pool:
        keys = list(pool.map(_start_app, [str(tmp_path)] * 4))
    assert len(set(keys)) == 1
    app = create_app({"INSTANCE_PATH": str(tmp_path), "MARGINS_AUTO_MIGRATE": False})
    with app.app_context():
        assert "highlights" in inspect(db.engine).get_table_names()


def test_the_id_of_a_deleted_newest_page_is_not_given_again(ann, in_db):
    """So an old /pages/<id> link never opens another page."""
    ann.api.put("/pages", {"url": "https://example.com/first"})
    newest = ann.api.put("/pages", {"url": "https://example.com/newest"}).json["id"]
    assert ann.api.delete(f"/pages/{newest}").status_code == 204
    assert in_db(lambda session: session.scalar(select(func.max(Page.id)))) < newest
    again = ann.api.put("/pages", {"url": "https://example.com/again"}).json["id"]
    assert again > newest
