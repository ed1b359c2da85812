"""import pipeline: saved mappings, pending duplicates, upload columns on import batches

Revision ID: 0030
Revises: 0002
Create Date: 2026-11-21 12:00:00

"""
from alembic import op
import sqlalchemy as sa

import finance_app.db


revision = '0030'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('saved_mappings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('header_signature', sa.String(length=64), nullable=False),
    sa.Column('mapping', sa.JSON(), nullable=False),
    sa.Column('columns', sa.JSON(), nullable=False),
    sa.Column('use_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_saved_mappings_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_mappings')),
    sa.UniqueConstraint('user_id', 'header_signature', name=op.f('uq_saved_mappings_user_id_header_signature'))
    )
    op.create_table('pending_duplicates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('row_number', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('amount', finance_app.db.Money(precision=19, scale=4), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('external_id', sa.String(length=200), nullable=True),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('matched_transaction_id', sa.Integer(), nullable=True),
    sa.Column('similarity', sa.Float(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('transaction_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_pending_duplicates_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'], name=op.f('fk_pending_duplicates_batch_id_import_batches'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['matched_transaction_id'], ['transactions.id'], name=op.f('fk_pending_duplicates_matched_transaction_id_transactions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['transaction_id'], ['transactions.id'], name=op.f('fk_pending_duplicates_transaction_id_transactions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_pending_duplicates_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_duplicates'))
    )
    with op.batch_alter_table('pending_duplicates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pending_duplicates_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pending_duplicates_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pending_duplicates_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('import_batches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('upload_key', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('file_size', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('skipped_count', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('failure', sa.String(length=500), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('import_batches', schema=None) as batch_op:
        batch_op.drop_column('failure')
        batch_op.drop_column('skipped_count')
        batch_op.drop_column('file_size')
        batch_op.drop_column('upload_key')

    with op.batch_alter_table('pending_duplicates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pending_duplicates_user_id'))
        batch_op.drop_index(batch_op.f('ix_pending_duplicates_batch_id'))
        batch_op.drop_index(batch_op.f('ix_pending_duplicates_account_id'))

    op.drop_table('pending_duplicates')
    op.drop_table('saved_mappings')
