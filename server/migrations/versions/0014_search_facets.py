"""search index: facet words (color, site, tags) beside the text, so a filter is matched by the index

Each row gets a ``facets`` column of words no text holds: ``c`` and the hex of
a highlight's color, ``s`` and the hex of its page's domain, ``t`` and the id
of each tag of the highlight or of its page (a page's row: its site only). A
filtered search matches them with its words (FTS5's column filter on SQLite;
a second GIN-indexed tsvector on PostgreSQL) instead of checking each match's
row one by one (see server/services/search.py). The rows are kept as they are;
only the new column is filled from what is stored. On PostgreSQL the page rows
also get a GIN index of their own: a search of a user's pages read every
highlight holding a common word from the one index, to keep the few pages.

Revision ID: 0014
Revises: 0013
"""
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

FTS5 = """
CREATE VIRTUAL TABLE search_index USING fts5(
    title, body, note, {facets}user_id UNINDEXED, page_id UNINDEXED, highlight_id UNINDEXED,
    tokenize = 'porter unicode61 remove_diacritics 2', prefix = '2 3')"""

#: per dialect: the hex of a text, and the words of a highlight's (or a page's) tags
HEX = {"sqlite": "hex({})", "postgresql": "encode(convert_to({}, 'UTF8'), 'hex')"}
AGGREGATE = {"sqlite": "group_concat('t' || tag_id, ' ')", "postgresql": "string_agg('t' || tag_id, ' ')"}


def facets(dialect: str) -> tuple[str, str]:
    """SQL for the facet words of a highlight's row (h, its page p) and of a page's row (p)."""
    site = "'s' || " + HEX[dialect].format("coalesce(p.domain, '')")
    tags = "coalesce((SELECT ' ' || {agg} FROM {table} WHERE {owner} = {id}), '')"
    highlight = " || ".join((
        "'c' || " + HEX[dialect].format("coalesce(h.color, '')"), "' '", site,
        tags.format(agg=AGGREGATE[dialect], table="highlight_tags", owner="highlight_id", id="h.id"),
        tags.format(agg=AGGREGATE[dialect], table="page_tags", owner="page_id", id="h.page_id")))
    return highlight, site


def _row_facets(dialect: str) -> str:
    """SQL for the facet words of the index row i, from what is stored."""
    highlight, page = facets(dialect)
    return f"""CASE WHEN i.highlight_id IS NULL THEN (SELECT {page} FROM pages p WHERE p.id = i.page_id)
        ELSE (SELECT {highlight} FROM highlights h LEFT JOIN pages p ON p.id = h.page_id
              WHERE h.id = i.highlight_id) END"""


def upgrade():
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ALTER TABLE search_index RENAME TO search_index_0013')
        op.execute(FTS5.format(facets='facets, '))
        op.execute("INSERT INTO search_index (rowid, title, body, note, facets, user_id, page_id, highlight_id)"
                   f" SELECT i.rowid, i.title, i.body, i.note, {_row_facets('sqlite')}, i.user_id, i.page_id,"
                   " i.highlight_id FROM search_index_0013 i")
        op.execute('DROP TABLE search_index_0013')
        op.execute("INSERT INTO search_index(search_index) VALUES ('optimize')")
    else:
        op.execute("ALTER TABLE search_index ADD COLUMN facets text NOT NULL DEFAULT ''")
        op.execute("ALTER TABLE search_index ADD COLUMN facet_words tsvector"
                   " GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, facets)) STORED")
        op.execute(f"UPDATE search_index i SET facets = {_row_facets('postgresql')}")
        op.execute('CREATE INDEX ix_search_index_facets ON search_index USING gin (facet_words)')
        op.execute('CREATE INDEX ix_search_index_page_document ON search_index USING gin (document)'
                   ' WHERE highlight_id IS NULL')
        op.execute('ANALYZE search_index')


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ALTER TABLE search_index RENAME TO search_index_0014')
        op.execute(FTS5.format(facets=''))
        op.execute("INSERT INTO search_index (rowid, title, body, note, user_id, page_id, highlight_id)"
                   " SELECT rowid, title, body, note, user_id, page_id, highlight_id FROM search_index_0014")
        op.execute('DROP TABLE search_index_0014')
        op.execute("INSERT INTO search_index(search_index) VALUES ('optimize')")
    else:
        op.execute('DROP INDEX ix_search_index_page_document')
        op.execute('DROP INDEX ix_search_index_facets')
        op.execute('ALTER TABLE search_index DROP COLUMN facet_words')
        op.execute('ALTER TABLE search_index DROP COLUMN facets')
