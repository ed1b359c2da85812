"""debts: a household's debts with balance, APR, minimum payment and an optional linked account

Revision ID: 0300
Revises: 0200
Create Date: 2026-12-10 10:00:00

"""
import sqlalchemy as sa
from alembic import op

import finance_app.db

revision = "0300"
down_revision = "0200"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "debts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("balance", finance_app.db.Money(precision=19, scale=4), nullable=False),
        sa.Column("apr", finance_app.db.ExactDecimal(precision=7, scale=4), nullable=False),
        sa.Column("minimum_payment", finance_app.db.Money(precision=19, scale=4),
                  nullable=False),
        sa.Column("custom_rank", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"],
                                name=op.f("fk_debts_account_id_accounts"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["household_id"], ["households.id"],
                                name=op.f("fk_debts_household_id_households"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_debts")),
        sa.UniqueConstraint("household_id", "name", name=op.f("uq_debts_household_id_name")),
    )
    with op.batch_alter_table("debts") as batch:
        batch.create_index(batch.f("ix_debts_account_id"), ["account_id"], unique=False)
        batch.create_index(batch.f("ix_debts_household_id"), ["household_id"], unique=False)


def downgrade():
    with op.batch_alter_table("debts") as batch:
        batch.drop_index(batch.f("ix_debts_household_id"))
        batch.drop_index(batch.f("ix_debts_account_id"))
    op.drop_table("debts")
