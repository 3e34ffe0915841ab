"""Migration 0014 adds the facet words to every row of the search index, from what is stored, and takes them away."""

import uuid

import flask_migrate
from sqlalchemy import text

from server import create_app
from server.db import MIGRATIONS, db
from server.services import highlights, search, users


def test_the_facet_words_are_filled_from_what_is_stored_on_upgrade_and_dropped_on_downgrade(tmp_path):
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    with app.app_context():
        user = users.create_user(db.session, "ann", "a long passphrase")
        db.session.commit()
        highlight, _ = highlights.put_highlight(
            db.session, user.id, str(uuid.uuid4()), url="https://blog.example.com/a", tags=["tides"],
            fields={"exact": "the moon pulls the sea", "prefix": "", "suffix": "", "color": "blue", "note": ""})
        db.session.commit()
        highlight_id = highlight.id
    with app.app_context():
        def facets():
            key = "rowid" if db.engine.dialect.name == "sqlite" else "id"
            return dict(db.session.execute(text(f"SELECT {key}, facets FROM search_index ORDER BY {key}")).all())

        made_by_writes = facets()
        db.session.rollback()
        flask_migrate.downgrade(directory=str(MIGRATIONS), revision="0013")
        columns = db.session.execute(text("SELECT * FROM search_index")).keys()
        assert "facets" not in columns
        db.session.rollback()
        flask_migrate.upgrade(directory=str(MIGRATIONS))
        assert facets() == made_by_writes
        assert [r.highlight_id for r in search.search(
            db.session, user.id, "moon", color="blue", site="example.com", tag="tides")] == [highlight_id]
