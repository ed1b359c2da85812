"""goals: savings goals with linked accounts, hand-recorded contributions and milestones

Revision ID: 0320
Revises: 0310
Create Date: 2026-12-12 10:00:00

"""
import sqlalchemy as sa
from alembic import op

import finance_app.db

revision = "0320"
down_revision = "0310"
branch_labels = None
depends_on = None


def _household_fk(table):
    return sa.ForeignKeyConstraint(["household_id"], ["households.id"],
                                   name=op.f(f"fk_{table}_household_id_households"),
                                   ondelete="CASCADE")


def _goal_fk(table):
    return sa.ForeignKeyConstraint(["goal_id"], ["goals.id"],
                                   name=op.f(f"fk_{table}_goal_id_goals"), ondelete="CASCADE")


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("notify_goal_email", sa.Boolean(), nullable=False,
                                   server_default=sa.true()))
    op.create_table(
        "goals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("target_amount", finance_app.db.Money(precision=19, scale=4), nullable=False),
        sa.Column("target_date", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        _household_fk("goals"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goals")),
        sa.UniqueConstraint("household_id", "name", name=op.f("uq_goals_household_id_name")),
    )
    with op.batch_alter_table("goals") as batch:
        batch.create_index(batch.f("ix_goals_household_id"), ["household_id"], unique=False)

    op.create_table(
        "goal_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("amount", finance_app.db.Money(precision=19, scale=4), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"],
                                name=op.f("fk_goal_accounts_account_id_accounts"),
                                ondelete="CASCADE"),
        _goal_fk("goal_accounts"),
        _household_fk("goal_accounts"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goal_accounts")),
        sa.UniqueConstraint("goal_id", "account_id",
                            name=op.f("uq_goal_accounts_goal_id_account_id")),
    )
    with op.batch_alter_table("goal_accounts") as batch:
        for column in ("household_id", "goal_id", "account_id"):
            batch.create_index(batch.f(f"ix_goal_accounts_{column}"), [column], unique=False)

    op.create_table(
        "goal_contributions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("amount", finance_app.db.Money(precision=19, scale=4), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"],
                                name=op.f("fk_goal_contributions_created_by_users"),
                                ondelete="SET NULL"),
        _goal_fk("goal_contributions"),
        _household_fk("goal_contributions"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goal_contributions")),
    )
    with op.batch_alter_table("goal_contributions") as batch:
        for column in ("household_id", "goal_id", "created_by"):
            batch.create_index(batch.f(f"ix_goal_contributions_{column}"), [column],
                               unique=False)

    op.create_table(
        "goal_milestones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=False),
        sa.Column("reached_on", sa.Date(), nullable=False),
        sa.Column("celebrated_at", sa.DateTime(), nullable=True),
        sa.Column("emailed_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _goal_fk("goal_milestones"),
        _household_fk("goal_milestones"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goal_milestones")),
        sa.UniqueConstraint("goal_id", "percent",
                            name=op.f("uq_goal_milestones_goal_id_percent")),
    )
    with op.batch_alter_table("goal_milestones") as batch:
        for column in ("household_id", "goal_id"):
            batch.create_index(batch.f(f"ix_goal_milestones_{column}"), [column], unique=False)


def downgrade():
    for table, columns in (
        ("goal_milestones", ("household_id", "goal_id")),
        ("goal_contributions", ("household_id", "goal_id", "created_by")),
        ("goal_accounts", ("household_id", "goal_id", "account_id")),
        ("goals", ("household_id",)),
    ):
        with op.batch_alter_table(table) as batch:
            for column in reversed(columns):
                batch.drop_index(batch.f(f"ix_{table}_{column}"))
        op.drop_table(table)
    with op.batch_alter_table("users") as batch:
        batch.drop_column("notify_goal_email")
