"""badges: badge awards of household members, each badge once per member

Revision ID: 0330
Revises: 0320
Create Date: 2026-12-12 10:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0330"
down_revision = "0320"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "badge_awards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("awarded_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["household_id"], ["households.id"],
                                name=op.f("fk_badge_awards_household_id_households"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_badge_awards_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_badge_awards")),
        sa.UniqueConstraint("household_id", "user_id", "key",
                            name=op.f("uq_badge_awards_household_id_user_id_key")),
    )
    with op.batch_alter_table("badge_awards") as batch:
        batch.create_index(batch.f("ix_badge_awards_household_id"), ["household_id"],
                           unique=False)
        batch.create_index(batch.f("ix_badge_awards_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("badge_awards") as batch:
        batch.drop_index(batch.f("ix_badge_awards_user_id"))
        batch.drop_index(batch.f("ix_badge_awards_household_id"))
    op.drop_table("badge_awards")
