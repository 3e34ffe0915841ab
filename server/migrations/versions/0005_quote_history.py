"""quote_history: the quotes a highlight had before it was attached to other text

Repairing an orphan (accepting a possible match, or "Attach here") replaces
a highlight's selectors; the old quote is kept here so nothing is lost.

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('quote_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('highlight_id', sa.Integer(), nullable=False),
    sa.Column('exact', sa.Text(), nullable=False),
    sa.Column('prefix', sa.Text(), nullable=False),
    sa.Column('suffix', sa.Text(), nullable=False),
    sa.Column('replaced_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['highlight_id'], ['highlights.id'], name=op.f('fk_quote_history_highlight_id_highlights'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quote_history'))
    )
    with op.batch_alter_table('quote_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quote_history_highlight_id'), ['highlight_id'], unique=False)


def downgrade():
    with op.batch_alter_table('quote_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quote_history_highlight_id'))
    op.drop_table('quote_history')
