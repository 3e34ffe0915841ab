"""connect_codes: one-time codes that connect a browser to an account

Revision ID: 0011
Revises: 0010
"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('connect_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.Column('token_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['token_id'], ['api_tokens.id'], name=op.f('fk_connect_codes_token_id_api_tokens'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_connect_codes_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_connect_codes')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_connect_codes_code_hash'))
    )
    with op.batch_alter_table('connect_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_connect_codes_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('connect_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_connect_codes_user_id'))
    op.drop_table('connect_codes')
