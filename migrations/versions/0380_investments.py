"""investments: securities, their prices, trades of investment accounts, lot methods

Revision ID: 0380
Revises: 0370
Create Date: 2026-12-03 18:00:00

"""
import sqlalchemy as sa
from alembic import op

import finance_app.db

revision = "0380"
down_revision = "0370"
branch_labels = None
depends_on = None


def _household_fk(table):
    return sa.ForeignKeyConstraint(["household_id"], ["households.id"],
                                   name=op.f(f"fk_{table}_household_id_households"),
                                   ondelete="CASCADE")


def _fk(table, column, target):
    return sa.ForeignKeyConstraint([column], [f"{target}.id"],
                                   name=op.f(f"fk_{table}_{column}_{target}"), ondelete="CASCADE")


def _quantity():
    return finance_app.db.ExactDecimal(precision=24, scale=8)


def _price():
    return finance_app.db.ExactDecimal(precision=24, scale=6)


def upgrade():
    op.create_table(
        "securities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("symbol", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("external_id", sa.String(length=120), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _household_fk("securities"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_securities")),
        sa.UniqueConstraint("household_id", "symbol",
                            name=op.f("uq_securities_household_id_symbol")),
    )
    with op.batch_alter_table("securities") as batch:
        batch.create_index(batch.f("ix_securities_household_id"), ["household_id"], unique=False)

    op.create_table(
        "security_prices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("security_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("close", _price(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        _household_fk("security_prices"),
        _fk("security_prices", "security_id", "securities"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_security_prices")),
        sa.UniqueConstraint("security_id", "day", name=op.f("uq_security_prices_security_id_day")),
    )
    with op.batch_alter_table("security_prices") as batch:
        for column in ("household_id", "security_id"):
            batch.create_index(batch.f(f"ix_security_prices_{column}"), [column], unique=False)

    op.create_table(
        "trades",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("security_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("action", sa.String(length=12), nullable=False),
        sa.Column("quantity", _quantity(), nullable=False),
        sa.Column("price", _price(), nullable=False),
        sa.Column("fees", finance_app.db.Money(precision=19, scale=4), nullable=False),
        sa.Column("chosen_lots", sa.JSON(), nullable=True),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("external_id", sa.String(length=120), nullable=True),
        sa.Column("fingerprint", sa.String(length=64), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _household_fk("trades"),
        _fk("trades", "account_id", "accounts"),
        _fk("trades", "security_id", "securities"),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"],
                                name=op.f("fk_trades_created_by_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trades")),
        sa.UniqueConstraint("account_id", "external_id",
                            name=op.f("uq_trades_account_id_external_id")),
        sa.UniqueConstraint("account_id", "fingerprint",
                            name=op.f("uq_trades_account_id_fingerprint")),
    )
    with op.batch_alter_table("trades") as batch:
        for column in ("household_id", "account_id", "security_id"):
            batch.create_index(batch.f(f"ix_trades_{column}"), [column], unique=False)

    op.create_table(
        "investment_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("lot_method", sa.String(length=10), nullable=False),
        _household_fk("investment_settings"),
        _fk("investment_settings", "account_id", "accounts"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_investment_settings")),
        sa.UniqueConstraint("account_id", name=op.f("uq_investment_settings_account_id")),
    )
    with op.batch_alter_table("investment_settings") as batch:
        batch.create_index(batch.f("ix_investment_settings_household_id"), ["household_id"],
                           unique=False)


def downgrade():
    op.drop_table("investment_settings")
    op.drop_table("trades")
    op.drop_table("security_prices")
    op.drop_table("securities")
