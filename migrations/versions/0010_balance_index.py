"""balances and net worth: covering index on transactions per user, account and day

Revision ID: 0010
Revises: 0002
Create Date: 2026-11-21 14:30:00

"""
from alembic import op


revision = '0010'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    # Lets account balances and net-worth history be computed from the index alone.
    op.create_index(
        'ix_transactions_user_account_date_amount', 'transactions',
        ['user_id', 'account_id', 'date', 'amount', 'is_pending'], unique=False,
    )


def downgrade():
    op.drop_index('ix_transactions_user_account_date_amount', table_name='transactions')
