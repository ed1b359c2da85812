"""transactions page: amount and trigram search indexes

Revision ID: 0020
Revises: 0002
Create Date: 2026-11-21 13:00:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = "0020"
down_revision = "0002"
branch_labels = None
depends_on = None

SEARCH_COLUMNS = ["merchant", "raw_description", "notes"]


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        # Trusted extension since PostgreSQL 13: the database owner may create it.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    with op.batch_alter_table("transactions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_transactions_user_amount", ["user_id", "amount", "id"], unique=False
        )
        for column in SEARCH_COLUMNS:
            batch_op.create_index(
                f"ix_transactions_{column}_trgm", [column], unique=False,
                postgresql_using="gin", postgresql_ops={column: "gin_trgm_ops"},
            )


def downgrade():
    with op.batch_alter_table("transactions", schema=None) as batch_op:
        for column in SEARCH_COLUMNS:
            batch_op.drop_index(f"ix_transactions_{column}_trgm")
        batch_op.drop_index("ix_transactions_user_amount")
