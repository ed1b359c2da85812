"""dashboard and budgets: covering index for the ledger summary and counting lines

Revision ID: 0110
Revises: 0100
Create Date: 2026-11-21 16:00:00

"""
from alembic import op

revision = "0110"
down_revision = "0100"
branch_labels = None
depends_on = None


def upgrade():
    # The monthly ledger summary (one GROUP BY per user and ledger version) and the day-level
    # counting lines read every column they need from this index, never the wide table rows.
    op.create_index(
        "ix_transactions_ledger_lines", "transactions",
        ["user_id", "date", "account_id", "category_id", "amount", "is_excluded",
         "transfer_peer_id"],
        unique=False,
    )


def downgrade():
    op.drop_index("ix_transactions_ledger_lines", table_name="transactions")
