"""bank sync with Plaid: linked items, their accounts, sync runs with raw pages; bank email opt-in

Revision ID: 0360
Revises: 0400
Create Date: 2026-12-03 18:00:00

"""
import sqlalchemy as sa
from alembic import op

import finance_app.db

revision = "0360"
down_revision = "0400"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("notify_bank_email", sa.Boolean(), nullable=False,
                                   server_default=sa.true()))
    op.create_table(
        "plaid_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("item_id", sa.String(length=120), nullable=False),
        sa.Column("access_token_encrypted", sa.Text(), nullable=False),
        sa.Column("institution_id", sa.String(length=60), nullable=False),
        sa.Column("institution_name", sa.String(length=120), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("error_code", sa.String(length=80), nullable=False),
        sa.Column("error_message", sa.String(length=500), nullable=False),
        sa.Column("cursor", sa.Text(), nullable=True),
        sa.Column("products", sa.JSON(), nullable=False),
        sa.Column("accounts_confirmed", sa.Boolean(), nullable=False),
        sa.Column("last_synced_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["household_id"], ["households.id"],
                                name=op.f("fk_plaid_items_household_id_households"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"],
                                name=op.f("fk_plaid_items_created_by_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plaid_items")),
        sa.UniqueConstraint("item_id", name=op.f("uq_plaid_items_item_id")),
    )
    op.create_index(op.f("ix_plaid_items_household_id"), "plaid_items", ["household_id"])
    op.create_table(
        "plaid_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("plaid_account_id", sa.String(length=120), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("official_name", sa.String(length=200), nullable=False),
        sa.Column("mask", sa.String(length=10), nullable=False),
        sa.Column("type", sa.String(length=30), nullable=False),
        sa.Column("subtype", sa.String(length=30), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("current_balance", finance_app.db.Money(precision=19, scale=4), nullable=True),
        sa.Column("available_balance", finance_app.db.Money(precision=19, scale=4),
                  nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["household_id"], ["households.id"],
                                name=op.f("fk_plaid_accounts_household_id_households"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["item_id"], ["plaid_items.id"],
                                name=op.f("fk_plaid_accounts_item_id_plaid_items"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"],
                                name=op.f("fk_plaid_accounts_account_id_accounts"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plaid_accounts")),
        sa.UniqueConstraint("item_id", "plaid_account_id",
                            name=op.f("uq_plaid_accounts_item_id_plaid_account_id")),
    )
    op.create_index(op.f("ix_plaid_accounts_household_id"), "plaid_accounts", ["household_id"])
    op.create_index(op.f("ix_plaid_accounts_account_id"), "plaid_accounts", ["account_id"])
    op.create_table(
        "sync_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("trigger", sa.String(length=12), nullable=False),
        sa.Column("job_id", sa.String(length=36), nullable=True),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("added_count", sa.Integer(), nullable=False),
        sa.Column("modified_count", sa.Integer(), nullable=False),
        sa.Column("removed_count", sa.Integer(), nullable=False),
        sa.Column("error_code", sa.String(length=80), nullable=False),
        sa.Column("error_message", sa.String(length=500), nullable=False),
        sa.Column("next_retry_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["household_id"], ["households.id"],
                                name=op.f("fk_sync_runs_household_id_households"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["item_id"], ["plaid_items.id"],
                                name=op.f("fk_sync_runs_item_id_plaid_items"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_runs")),
    )
    op.create_index(op.f("ix_sync_runs_household_id"), "sync_runs", ["household_id"])
    op.create_index("ix_sync_runs_item_created", "sync_runs", ["item_id", "created_at"])
    op.create_table(
        "sync_pages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("cursor", sa.Text(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["household_id"], ["households.id"],
                                name=op.f("fk_sync_pages_household_id_households"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["run_id"], ["sync_runs.id"],
                                name=op.f("fk_sync_pages_run_id_sync_runs"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_pages")),
    )
    op.create_index(op.f("ix_sync_pages_household_id"), "sync_pages", ["household_id"])
    op.create_index(op.f("ix_sync_pages_run_id"), "sync_pages", ["run_id"])


def downgrade():
    op.drop_table("sync_pages")
    op.drop_table("sync_runs")
    op.drop_table("plaid_accounts")
    op.drop_table("plaid_items")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("notify_bank_email")
