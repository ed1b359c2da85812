"""weekly summary email: members' send preferences, bounced addresses, one send row per week

Revision ID: 0350
Revises: 0340
Create Date: 2026-12-03 15:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0350"
down_revision = "0340"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("weekly_email_weekday", sa.Integer(), nullable=False,
                                   server_default=sa.text("0")))
        batch.add_column(sa.Column("weekly_email_hour", sa.Integer(), nullable=False,
                                   server_default=sa.text("8")))
        batch.add_column(sa.Column("weekly_email_figures", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column("email_bounced_at", sa.DateTime(), nullable=True))
    op.create_table(
        "weekly_summary_sends",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_weekly_summary_sends_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_weekly_summary_sends")),
        sa.UniqueConstraint("user_id", "week_start",
                            name=op.f("uq_weekly_summary_sends_user_id_week_start")),
    )


def downgrade():
    op.drop_table("weekly_summary_sends")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("email_bounced_at")
        batch.drop_column("weekly_email_figures")
        batch.drop_column("weekly_email_hour")
        batch.drop_column("weekly_email_weekday")
