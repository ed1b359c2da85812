"""Merge the feature branches (accounts, transactions, import, budgets, categorization).

Revision ID: 0100
Revises: 0010, 0020, 0030, 0040, 0050
Create Date: 2026-11-21

"""

revision = "0100"
down_revision = ("0010", "0020", "0030", "0040", "0050")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
