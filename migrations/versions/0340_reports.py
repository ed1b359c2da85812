"""reports: generated report files and the category -> tax-category mapping

Revision ID: 0340
Revises: 0330
Create Date: 2026-12-12 10:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0340"
down_revision = "0330"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "report_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("private_to_id", sa.Integer(), nullable=True),
        sa.Column("format", sa.String(length=8), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("job_id", sa.String(length=36), nullable=True),
        sa.Column("storage_key", sa.String(length=80), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("failure", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("completed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["household_id"], ["households.id"],
                                name=op.f("fk_report_files_household_id_households"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"],
                                name=op.f("fk_report_files_created_by_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["private_to_id"], ["users.id"],
                                name=op.f("fk_report_files_private_to_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_files")),
    )
    with op.batch_alter_table("report_files") as batch:
        batch.create_index(batch.f("ix_report_files_household_id"), ["household_id"])
        batch.create_index(batch.f("ix_report_files_created_by_id"), ["created_by_id"])
        batch.create_index(batch.f("ix_report_files_private_to_id"), ["private_to_id"])
        batch.create_index(batch.f("ix_report_files_created_at"), ["created_at"])
    op.create_table(
        "tax_category_mappings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("tax_category", sa.String(length=30), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["household_id"], ["households.id"],
                                name=op.f("fk_tax_category_mappings_household_id_households"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["category_id"], ["categories.id"],
                                name=op.f("fk_tax_category_mappings_category_id_categories"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tax_category_mappings")),
        sa.UniqueConstraint("household_id", "category_id",
                            name=op.f("uq_tax_category_mappings_household_id_category_id")),
    )
    with op.batch_alter_table("tax_category_mappings") as batch:
        batch.create_index(batch.f("ix_tax_category_mappings_household_id"), ["household_id"])
        batch.create_index(batch.f("ix_tax_category_mappings_category_id"), ["category_id"])


def downgrade():
    with op.batch_alter_table("tax_category_mappings") as batch:
        batch.drop_index(batch.f("ix_tax_category_mappings_category_id"))
        batch.drop_index(batch.f("ix_tax_category_mappings_household_id"))
    op.drop_table("tax_category_mappings")
    with op.batch_alter_table("report_files") as batch:
        batch.drop_index(batch.f("ix_report_files_created_at"))
        batch.drop_index(batch.f("ix_report_files_private_to_id"))
        batch.drop_index(batch.f("ix_report_files_created_by_id"))
        batch.drop_index(batch.f("ix_report_files_household_id"))
    op.drop_table("report_files")
