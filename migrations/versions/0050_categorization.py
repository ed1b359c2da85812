"""categorization engine: rules, review suggestions, merchant memory, labels, user models

Revision ID: 0050
Revises: 0002
Create Date: 2026-11-21 12:30:00

"""
from alembic import op
import sqlalchemy as sa

import finance_app.db


revision = '0050'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('match', sa.String(length=3), nullable=False),
    sa.Column('conditions', sa.JSON(), nullable=False),
    sa.Column('actions', sa.JSON(), nullable=False),
    sa.Column('stop_processing', sa.Boolean(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_rules_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rules'))
    )
    with op.batch_alter_table('rules', schema=None) as batch_op:
        batch_op.create_index('ix_rules_user_position', ['user_id', 'position'], unique=False)

    op.create_table('category_suggestions',
    sa.Column('transaction_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('suggestions', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['transaction_id'], ['transactions.id'], name=op.f('fk_category_suggestions_transaction_id_transactions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_category_suggestions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('transaction_id', name=op.f('pk_category_suggestions'))
    )
    with op.batch_alter_table('category_suggestions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_category_suggestions_user_id'), ['user_id'], unique=False)

    op.create_table('merchant_memory',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('merchant_key', sa.String(length=200), nullable=False),
    sa.Column('merchant_name', sa.String(length=200), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('rule_offer', sa.String(length=10), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_merchant_memory_category_id_categories'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_merchant_memory_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_merchant_memory')),
    sa.UniqueConstraint('user_id', 'merchant_key', name=op.f('uq_merchant_memory_user_id_merchant_key'))
    )

    op.create_table('category_corrections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('transaction_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('merchant_key', sa.String(length=200), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('amount', finance_app.db.Money(precision=19, scale=4), nullable=False),
    sa.Column('provider_category', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_category_corrections_category_id_categories'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['transaction_id'], ['transactions.id'], name=op.f('fk_category_corrections_transaction_id_transactions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_category_corrections_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_category_corrections')),
    sa.UniqueConstraint('transaction_id', name=op.f('uq_category_corrections_transaction_id'))
    )
    with op.batch_alter_table('category_corrections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_category_corrections_category_id'), ['category_id'], unique=False)
        batch_op.create_index('ix_category_corrections_user_updated', ['user_id', 'updated_at'], unique=False)

    op.create_table('user_models',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.String(length=80), nullable=True),
    sa.Column('base_version', sa.String(length=80), nullable=True),
    sa.Column('examples', sa.Integer(), nullable=False),
    sa.Column('train_seconds', sa.Float(), nullable=True),
    sa.Column('trained_at', sa.DateTime(), nullable=True),
    sa.Column('labels_changed_at', sa.DateTime(), nullable=True),
    sa.Column('trained_labels_at', sa.DateTime(), nullable=True),
    sa.Column('retrain_enqueued_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_models_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_user_models'))
    )


def downgrade():
    op.drop_table('user_models')
    with op.batch_alter_table('category_corrections', schema=None) as batch_op:
        batch_op.drop_index('ix_category_corrections_user_updated')
        batch_op.drop_index(batch_op.f('ix_category_corrections_category_id'))
    op.drop_table('category_corrections')
    op.drop_table('merchant_memory')
    with op.batch_alter_table('category_suggestions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_category_suggestions_user_id'))
    op.drop_table('category_suggestions')
    with op.batch_alter_table('rules', schema=None) as batch_op:
        batch_op.drop_index('ix_rules_user_position')
    op.drop_table('rules')
