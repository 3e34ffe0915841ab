"""search index and review state

The search index is not a model: an FTS5 virtual table on SQLite, a table
with a generated, weighted tsvector and a GIN index on PostgreSQL (see
server/services/search.py, whose row keys are user id × 2**33 + 2 × id, + 1
for pages). It is filled here from what is already stored.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

SQLITE_INDEX = """
CREATE VIRTUAL TABLE search_index USING fts5(
    title, body, note, user_id UNINDEXED, page_id UNINDEXED, highlight_id UNINDEXED,
    tokenize = 'porter unicode61 remove_diacritics 2')"""

# A tsvector holds at most 1 MB: page text beyond 200,000 characters is not searched.
POSTGRES_INDEX = """
CREATE TABLE search_index (
    id bigint PRIMARY KEY,
    user_id integer NOT NULL,
    page_id integer,
    highlight_id integer,
    title text NOT NULL DEFAULT '',
    body text NOT NULL DEFAULT '',
    note text NOT NULL DEFAULT '',
    document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, title), 'A')
        || setweight(to_tsvector('english'::regconfig, note), 'B')
        || setweight(to_tsvector('english'::regconfig, left(body, 200000)), 'C')) STORED)"""

FILL = """
INSERT INTO search_index ({key}, title, body, note, user_id, page_id, highlight_id)
SELECT h.user_id * 8589934592 + 2 * h.id, coalesce(p.title, ''), h.exact, h.note, h.user_id, h.page_id, h.id
FROM highlights h LEFT JOIN pages p ON p.id = h.page_id WHERE h.deleted_at IS NULL
UNION ALL
SELECT p.user_id * 8589934592 + 2 * p.id + 1, coalesce(p.title, ''), substr(coalesce(s.text, p.description, ''), 1, 200000), '', p.user_id, p.id, NULL
FROM pages p LEFT JOIN snapshots s ON s.id = (SELECT max(id) FROM snapshots WHERE page_id = p.id)"""


def upgrade():
    op.create_table('highlight_reviews',
    sa.Column('highlight_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('favorite', sa.Boolean(), nullable=False),
    sa.Column('last_reviewed_at', sa.DateTime(), nullable=True),
    sa.Column('review_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['highlight_id'], ['highlights.id'], name=op.f('fk_highlight_reviews_highlight_id_highlights'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_highlight_reviews_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('highlight_id', name=op.f('pk_highlight_reviews'))
    )
    with op.batch_alter_table('highlight_reviews', schema=None) as batch_op:
        batch_op.create_index('ix_highlight_reviews_user_reviewed', ['user_id', 'last_reviewed_at'], unique=False)

    if op.get_bind().dialect.name == 'sqlite':
        op.execute(SQLITE_INDEX)
        op.execute(FILL.format(key='rowid'))
    else:
        op.execute(POSTGRES_INDEX)
        op.execute('CREATE INDEX ix_search_index_document ON search_index USING gin (document)')
        op.execute('CREATE INDEX ix_search_index_user_id ON search_index (user_id)')
        op.execute(FILL.format(key='id'))


def downgrade():
    op.execute('DROP TABLE search_index')
    with op.batch_alter_table('highlight_reviews', schema=None) as batch_op:
        batch_op.drop_index('ix_highlight_reviews_user_reviewed')
    op.drop_table('highlight_reviews')
