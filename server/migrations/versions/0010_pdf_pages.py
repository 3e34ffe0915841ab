"""highlights: the PDF pages a highlight on a PDF starts and ends on

Revision ID: 0010
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('highlights', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pdf_page_first', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('pdf_page_last', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('highlights', schema=None) as batch_op:
        batch_op.drop_column('pdf_page_last')
        batch_op.drop_column('pdf_page_first')
