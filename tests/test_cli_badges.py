"""`flask badges evaluate --user EMAIL [--today]`: one line per badge, awards made once."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from finance_app.extensions import db
from finance_app.models import BadgeAward
from finance_app.models.ledger import INCOME
from finance_app.services.badges.rules import RULES
from tests.factories import make_account, make_category, make_txn, make_user


def _evaluate(app, *args: str):
    return app.test_cli_runner().invoke(args=["badges", "evaluate", *args])


def test_prints_every_badge_and_the_totals(app):
    with app.app_context():
        user = make_user("saver@example.com")
        checking = make_account(user, "Main", opening_balance=Decimal("10"),
                                opening_date=date(2026, 1, 1))
        salary = make_category(user, "Salary", INCOME)
        for month in (1, 2, 3):
            make_txn(checking, "1000", date(2026, month, 1), "Payroll", category=salary)
            make_txn(checking, "-500", date(2026, month, 5), "Rent",
                     category=make_category(user, f"Rent {month}"))
        db.session.commit()
    result = _evaluate(app, "--user", "saver@example.com", "--today", "2026-04-10")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == len(RULES) + 1
    assert [line.split()[0] for line in lines[:-1]] == [rule.key for rule in RULES]
    assert "saved_3_months earned=2026-03-31 progress=3/3" in lines
    assert "savings_rate_20 earned=2026-01-31 progress=20/20" in lines
    assert "first_import earned=no progress=0/1" in lines
    assert "emergency_fund_3_months earned=no progress=0.00/1500.00" in lines
    earned = sum(" earned=no " not in line for line in lines[:-1])
    assert lines[-1] == f"earned={earned} locked={len(RULES) - earned}" and earned >= 3

    again = _evaluate(app, "--user", "saver@example.com", "--today", "2026-04-10")
    assert again.stdout == result.stdout
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(BadgeAward)) == earned


def test_unknown_user_and_bad_date_are_refused(app):
    missing = _evaluate(app, "--user", "nobody@example.com")
    assert missing.exit_code == 1 and "no user 'nobody@example.com'" in missing.stderr
    with app.app_context():
        make_user("someone@example.com")
    bad = _evaluate(app, "--user", "someone@example.com", "--today", "31/03/2026")
    assert bad.exit_code == 1 and "is not a date" in bad.stderr
