"""search index: a user's highlights and pages in two key ranges; prefix indexes on SQLite

Row keys become user id × 2**33 + highlight id for a highlight's row and
user id × 2**33 + 2**32 + page id for a page's (they were 2 × id, + 1 for
pages), so a search reads the newest highlights and the newest pages as two
ranges, each with its own candidates. On SQLite the FTS5 table is made again
with prefix indexes of 2 and 3 characters, so a prefix search (``semi*``)
reads one doclist instead of merging every word it starts. The rows are made
again from what is stored (see server/services/search.py).

Revision ID: 0013
Revises: 0012
"""
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

FTS5 = """
CREATE VIRTUAL TABLE search_index USING fts5(
    title, body, note, user_id UNINDEXED, page_id UNINDEXED, highlight_id UNINDEXED,
    tokenize = 'porter unicode61 remove_diacritics 2'{prefix})"""


def _clean(column: str) -> str:
    """The column without the search's snippet delimiters (characters 2 and 3)."""
    return f"replace(replace({column}, {{char}}(2), ''), {{char}}(3), '')"


FILL = f"""
INSERT INTO search_index ({{key}}, title, body, note, user_id, page_id, highlight_id)
SELECT {{highlight_key}}, {_clean("coalesce(p.title, '')")}, {_clean("h.exact")}, {_clean("h.note")},
       h.user_id, h.page_id, h.id
FROM highlights h LEFT JOIN pages p ON p.id = h.page_id WHERE h.deleted_at IS NULL
UNION ALL
SELECT {{page_key}}, {_clean("coalesce(p.title, '')")},
       {_clean("substr(coalesce(s.text, p.description, ''), 1, 200000)")}, '', p.user_id, p.id, NULL
FROM pages p LEFT JOIN snapshots s ON s.id = (SELECT max(id) FROM snapshots WHERE page_id = p.id)"""

NEW_KEYS = {"highlight_key": "h.user_id * 8589934592 + h.id", "page_key": "p.user_id * 8589934592 + 4294967296 + p.id"}
OLD_KEYS = {"highlight_key": "h.user_id * 8589934592 + 2 * h.id", "page_key": "p.user_id * 8589934592 + 2 * p.id + 1"}


def _remake(keys: dict, prefix: str) -> None:
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('DROP TABLE search_index')
        op.execute(FTS5.format(prefix=prefix))
        op.execute(FILL.format(key='rowid', char='char', **keys))
        op.execute("INSERT INTO search_index(search_index) VALUES ('optimize')")
    else:
        op.execute('DELETE FROM search_index')
        op.execute(FILL.format(key='id', char='chr', **keys))
        op.execute('ANALYZE search_index')


def upgrade():
    _remake(NEW_KEYS, ", prefix = '2 3'")


def downgrade():
    _remake(OLD_KEYS, "")
