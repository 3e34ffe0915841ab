"""Migration 0013 gives the search index's rows their new keys, and the earlier keys back, from what is stored."""

import uuid

import flask_migrate
from sqlalchemy import text

from server import create_app
from server.db import MIGRATIONS, db
from server.services import search, users


def test_the_index_is_made_again_with_the_new_keys_on_upgrade_and_the_old_on_downgrade(tmp_path):
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    with app.app_context():
        user = users.create_user(db.session, "ann", "a long passphrase")
        db.session.commit()
    with app.app_context(), db.engine.begin() as connection:  # as a bulk write would: no index rows
        connection.execute(text(
            "INSERT INTO pages (user_id, url_key, url, domain, title, title_edited, created_at, updated_at)"
            " VALUES (:u, 'https://example.com/a', 'https://example.com/a', 'example.com', 'Tides', 0,"
            " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"), {"u": user.id})
        page_id = connection.execute(text("SELECT max(id) FROM pages")).scalar()
        connection.execute(text(
            "INSERT INTO highlights (uuid, user_id, page_id, exact, prefix, suffix, color, note, created_at,"
            " updated_at, seq) VALUES (:uuid, :u, :p, 'the moon pulls the sea', '', '', 'yellow', '',"
            " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)"), {"uuid": str(uuid.uuid4()), "u": user.id, "p": page_id})
        highlight_id = connection.execute(text("SELECT max(id) FROM highlights")).scalar()
    with app.app_context():
        def keys():
            return sorted(db.session.execute(text("SELECT rowid FROM search_index")).scalars())

        flask_migrate.downgrade(directory=str(MIGRATIONS), revision="0012")
        assert keys() == [user.id * search.USER_SPAN + 2 * highlight_id, user.id * search.USER_SPAN + 2 * page_id + 1]
        db.session.rollback()
        flask_migrate.upgrade(directory=str(MIGRATIONS))
        assert keys() == [search.row_key(user.id, highlight_id), search.row_key(user.id, page_id, page=True)]
        assert [(r.page_id, r.highlight_id) for r in search.search(db.session, user.id, "moo*")] == [
            (page_id, highlight_id)]
