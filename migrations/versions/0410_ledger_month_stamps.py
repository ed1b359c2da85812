"""ledger summary by month: a stamp per household and month that changes when a write touches
that month, and a base token for writes that may change every month

Revision ID: 0410
Revises: 0390
Create Date: 2026-12-04 23:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0410"
down_revision = "0390"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("ledger_versions") as batch:
        batch.add_column(sa.Column("summary_base", sa.BigInteger(), server_default="0",
                                   nullable=False))
    op.create_table(
        "ledger_month_stamps",
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("stamp", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["household_id"], ["households.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("household_id", "month"),
    )


def downgrade():
    op.drop_table("ledger_month_stamps")
    with op.batch_alter_table("ledger_versions") as batch:
        batch.drop_column("summary_base")
