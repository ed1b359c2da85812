"""more alert kinds: per-kind webhook choice and large-transaction amount, low-balance levels per
member and account, the new-transactions summary's cursor, when a bank Item's state changed

Revision ID: 0390
Revises: 0380
Create Date: 2026-12-04 04:30:00

"""
import sqlalchemy as sa
from alembic import op

import finance_app.db

revision = "0390"
down_revision = "0380"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("alert_preferences") as batch:
        batch.add_column(sa.Column("webhook", sa.Boolean(), server_default=sa.true(),
                                   nullable=False))
        batch.add_column(sa.Column("threshold", finance_app.db.Money(precision=19, scale=4),
                                   nullable=True))
    with op.batch_alter_table("alert_sends") as batch:
        batch.add_column(sa.Column("through_id", sa.Integer(), nullable=True))
    with op.batch_alter_table("plaid_items") as batch:
        batch.add_column(sa.Column("status_changed_at", sa.DateTime(), nullable=True))
    op.create_table(
        "balance_thresholds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("amount", finance_app.db.Money(precision=19, scale=4), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_balance_thresholds_user_id_users"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"],
                                name=op.f("fk_balance_thresholds_account_id_accounts"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_balance_thresholds")),
        sa.UniqueConstraint("user_id", "account_id",
                            name=op.f("uq_balance_thresholds_user_id_account_id")),
    )
    with op.batch_alter_table("balance_thresholds") as batch:
        batch.create_index(batch.f("ix_balance_thresholds_account_id"), ["account_id"],
                           unique=False)


def downgrade():
    with op.batch_alter_table("balance_thresholds") as batch:
        batch.drop_index(batch.f("ix_balance_thresholds_account_id"))
    op.drop_table("balance_thresholds")
    with op.batch_alter_table("plaid_items") as batch:
        batch.drop_column("status_changed_at")
    with op.batch_alter_table("alert_sends") as batch:
        batch.drop_column("through_id")
    with op.batch_alter_table("alert_preferences") as batch:
        batch.drop_column("threshold")
        batch.drop_column("webhook")
