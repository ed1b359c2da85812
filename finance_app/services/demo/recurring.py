"""What the sample ledger generator plants as recurring series (the benchmark's answer key),
and the demo seeder that runs detection on the demo household."""

from __future__ import annotations

from datetime import date

from finance_app.db import DbSession
from finance_app.models.recurring import BIWEEKLY, MONTHLY, YEARLY
from finance_app.models.user import User
from finance_app.services.demo import sample_catalogue as cat
from finance_app.services.demo.sample_data import GeneratedLedger
from finance_app.services.households.membership import current_membership
from finance_app.services.recurring.history import series_key

# (account, merchant, raw description, interval) of every row the generator makes on a schedule
# (see sample_data._fixed, _card_payments, _income). Transfers count once, on the paying side.
PLANTED = (
    ("checking", cat.RENT.name, cat.RENT.raw, MONTHLY),
    ("checking", cat.MORTGAGE.name, cat.MORTGAGE.raw, MONTHLY),
    *((account, m.name, m.raw, MONTHLY) for m, _day, account in cat.MONTHLY_BILLS),
    ("checking", "Transfer", "ONLINE TRANSFER TO SAV XXXXX4410", MONTHLY),
    ("savings", "Ally Bank", "INTEREST PAYMENT", MONTHLY),
    ("loan", "Toyota Financial", "INTEREST CHARGE", MONTHLY),
    ("checking", "Transfer", "TOYOTA FINANCIAL PMT PPD", MONTHLY),
    ("checking", "Transfer", "CHASE CREDIT CRD AUTOPAY", MONTHLY),
    *(("checking", name, raw, BIWEEKLY) for name, raw in cat.EMPLOYERS),
    ("checking", "IRS", "IRS TREAS 310 TAX REF", YEARLY),
)


def planted_series(ledger: GeneratedLedger) -> set[tuple[int, str, str]]:
    """(account id, series key, interval) of each planted series."""
    return {(ledger.accounts[account], series_key(name, raw), interval)
            for account, name, raw, interval in PLANTED}


def seed_demo_recurring(session: DbSession, user: User, today: date | None = None) -> str:
    from finance_app.services.recurring.anomalies import detect_anomalies
    from finance_app.services.recurring.detection import detect_recurring

    household_id = current_membership(session, user).household_id
    day = today or date.today()
    result = detect_recurring(session, household_id, day)
    flags = detect_anomalies(session, household_id, day)
    return f"Recurring: {result.found} series, {flags} anomaly flags"
