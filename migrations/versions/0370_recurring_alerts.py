"""recurring series (bills, subscriptions, income), anomaly flags and dismissals, bill feed tokens

Revision ID: 0370
Revises: 0360
Create Date: 2026-12-03 18:00:00

"""
import sqlalchemy as sa
from alembic import op

import finance_app.db

revision = "0370"
down_revision = "0360"
branch_labels = None
depends_on = None


def _fk(table, column, target, ondelete="CASCADE"):
    return sa.ForeignKeyConstraint([column], [f"{target}.id"],
                                   name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete)


def _money(name):
    return sa.Column(name, finance_app.db.Money(precision=19, scale=4), nullable=False)


def upgrade():
    op.create_table(
        "recurring_series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("merchant", sa.String(length=200), nullable=False),
        sa.Column("merchant_key", sa.String(length=200), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("interval", sa.String(length=12), nullable=False),
        sa.Column("anchors", sa.JSON(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        _money("expected_amount"),
        _money("amount_low"),
        _money("amount_high"),
        sa.Column("previous_amount", finance_app.db.Money(precision=19, scale=4), nullable=True),
        sa.Column("amount_changed_on", sa.Date(), nullable=True),
        sa.Column("first_seen", sa.Date(), nullable=True),
        sa.Column("last_seen", sa.Date(), nullable=True),
        sa.Column("next_due", sa.Date(), nullable=True),
        sa.Column("occurrences", sa.Integer(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("cancelled_after", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("is_edited", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        _fk("recurring_series", "household_id", "households"),
        _fk("recurring_series", "account_id", "accounts"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recurring_series")),
        sa.UniqueConstraint("household_id", "account_id", "merchant_key",
                            name=op.f("uq_recurring_series_household_id_account_id_merchant_key")),
    )
    with op.batch_alter_table("recurring_series") as batch:
        batch.create_index(batch.f("ix_recurring_series_household_id"), ["household_id"])
        batch.create_index(batch.f("ix_recurring_series_account_id"), ["account_id"])

    op.create_table(
        "anomaly_flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("transaction_id", sa.Integer(), nullable=True),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("pattern", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("dismissed_at", sa.DateTime(), nullable=True),
        _fk("anomaly_flags", "household_id", "households"),
        _fk("anomaly_flags", "transaction_id", "transactions"),
        _fk("anomaly_flags", "account_id", "accounts"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_anomaly_flags")),
        sa.UniqueConstraint("household_id", "key", name=op.f("uq_anomaly_flags_household_id_key")),
    )
    with op.batch_alter_table("anomaly_flags") as batch:
        batch.create_index(batch.f("ix_anomaly_flags_household_id"), ["household_id"])
        batch.create_index(batch.f("ix_anomaly_flags_transaction_id"), ["transaction_id"])
        batch.create_index(batch.f("ix_anomaly_flags_account_id"), ["account_id"])

    op.create_table(
        "anomaly_dismissals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("pattern", sa.String(length=200), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _fk("anomaly_dismissals", "household_id", "households"),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"],
                                name=op.f("fk_anomaly_dismissals_created_by_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_anomaly_dismissals")),
        sa.UniqueConstraint("household_id", "pattern",
                            name=op.f("uq_anomaly_dismissals_household_id_pattern")),
    )
    with op.batch_alter_table("anomaly_dismissals") as batch:
        batch.create_index(batch.f("ix_anomaly_dismissals_household_id"), ["household_id"])

    op.create_table(
        "bill_feed_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _fk("bill_feed_tokens", "user_id", "users"),
        _fk("bill_feed_tokens", "household_id", "households"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bill_feed_tokens")),
        sa.UniqueConstraint("user_id", "household_id",
                            name=op.f("uq_bill_feed_tokens_user_id_household_id")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_bill_feed_tokens_token_hash")),
    )
    with op.batch_alter_table("bill_feed_tokens") as batch:
        batch.create_index(batch.f("ix_bill_feed_tokens_household_id"), ["household_id"])


    op.create_table(
        "alert_sends",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.String(length=500), nullable=False),
        sa.Column("emailed_at", sa.DateTime(), nullable=True),
        sa.Column("texted_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _fk("alert_sends", "user_id", "users"),
        _fk("alert_sends", "household_id", "households"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_sends")),
        sa.UniqueConstraint("user_id", "key", name=op.f("uq_alert_sends_user_id_key")),
    )
    with op.batch_alter_table("alert_sends") as batch:
        batch.create_index(batch.f("ix_alert_sends_household_id"), ["household_id"])

    op.create_table(
        "alert_preferences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("email", sa.Boolean(), nullable=False),
        sa.Column("sms", sa.Boolean(), nullable=False),
        _fk("alert_preferences", "user_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_preferences")),
        sa.UniqueConstraint("user_id", "kind", name=op.f("uq_alert_preferences_user_id_kind")),
    )


    op.create_table(
        "webhook_endpoints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("secret_encrypted", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _fk("webhook_endpoints", "user_id", "users"),
        _fk("webhook_endpoints", "household_id", "households"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_endpoints")),
    )
    with op.batch_alter_table("webhook_endpoints") as batch:
        batch.create_index(batch.f("ix_webhook_endpoints_household_id"), ["household_id"])

    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("endpoint_id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=24), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("response_code", sa.Integer(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("delivered_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _fk("webhook_deliveries", "household_id", "households"),
        _fk("webhook_deliveries", "endpoint_id", "webhook_endpoints"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_deliveries")),
    )
    with op.batch_alter_table("webhook_deliveries") as batch:
        batch.create_index(batch.f("ix_webhook_deliveries_household_id"), ["household_id"])
        batch.create_index(batch.f("ix_webhook_deliveries_endpoint_id"), ["endpoint_id"])


    op.create_table(
        "sms_phones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("code_expires_at", sa.DateTime(), nullable=True),
        sa.Column("code_attempts", sa.Integer(), nullable=False),
        sa.Column("verified_at", sa.DateTime(), nullable=True),
        sa.Column("allow_figures", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _fk("sms_phones", "user_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sms_phones")),
        sa.UniqueConstraint("user_id", name=op.f("uq_sms_phones_user_id")),
    )


def downgrade():
    op.drop_table("sms_phones")
    op.drop_table("webhook_deliveries")
    op.drop_table("webhook_endpoints")
    op.drop_table("alert_preferences")
    op.drop_table("alert_sends")
    op.drop_table("bill_feed_tokens")
    op.drop_table("anomaly_dismissals")
    op.drop_table("anomaly_flags")
    op.drop_table("recurring_series")
