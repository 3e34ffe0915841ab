"""pages and highlights: ids are never reused (SQLite AUTOINCREMENT)

SQLite otherwise hands the id of the newest row out again once that row is
deleted, so an old /pages/<id> link could open another page. PostgreSQL's
sequences never reuse an id: nothing to do there.

The tables are rebuilt, which SQLite allows only with foreign keys off, and
that setting changes only outside a transaction: the rebuild commits on its
own (it can run again if the upgrade stops after it).

Revision ID: 0007
Revises: 0006
"""
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

TABLES = ("pages", "highlights")


def upgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("COMMIT")
    op.execute("PRAGMA foreign_keys=OFF")
    op.execute("BEGIN IMMEDIATE")
    for table in TABLES:
        with op.batch_alter_table(table, recreate="always", table_kwargs={"sqlite_autoincrement": True}):
            pass
    op.execute("COMMIT")
    op.execute("PRAGMA foreign_keys=ON")
    op.execute("BEGIN IMMEDIATE")


def downgrade():
    """Nothing: the earlier schema's code works the same on tables that never reuse an id (and a
    rebuild would keep AUTOINCREMENT anyway, as SQLite's reflection carries it over)."""
