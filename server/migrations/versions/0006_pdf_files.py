"""pdf_files: a page's PDF, kept once per content hash per user, with its text reading's outcome

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pdf_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('page_id', sa.Integer(), nullable=False),
    sa.Column('snapshot_id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('fingerprint', sa.String(length=128), nullable=True),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('page_count', sa.Integer(), nullable=True),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('author', sa.Text(), nullable=True),
    sa.Column('page_offsets', sa.Text(), nullable=False),
    sa.Column('text_error', sa.Text(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['page_id'], ['pages.id'], name=op.f('fk_pdf_files_page_id_pages'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['snapshot_id'], ['snapshots.id'], name=op.f('fk_pdf_files_snapshot_id_snapshots'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_pdf_files_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pdf_files')),
    sa.UniqueConstraint('snapshot_id', name=op.f('uq_pdf_files_snapshot_id')),
    sa.UniqueConstraint('user_id', 'sha256', name=op.f('uq_pdf_files_user_id_sha256'))
    )
    with op.batch_alter_table('pdf_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pdf_files_page_id'), ['page_id'], unique=False)
        batch_op.create_index('ix_pdf_files_user_fingerprint', ['user_id', 'fingerprint'], unique=False)


def downgrade():
    with op.batch_alter_table('pdf_files', schema=None) as batch_op:
        batch_op.drop_index('ix_pdf_files_user_fingerprint')
        batch_op.drop_index(batch_op.f('ix_pdf_files_page_id'))
    op.drop_table('pdf_files')
