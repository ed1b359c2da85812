"""The budgets demo seeder: budgets sized from the demo ledger, idempotent."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from finance_app.extensions import db
from finance_app.models.budget import Budget
from finance_app.services.budgets.budgets import seed_demo_budgets
from finance_app.services.demo.sample_data import generate_ledger
from tests.factories import make_user


def test_seed_demo_budgets_is_idempotent(ctx: object) -> None:
    user = make_user("seed@example.com")
    generate_ledger(db.session, user, years=1, target_transactions=1500, seed=3,
                    end=date.today())
    line = seed_demo_budgets(db.session, user)
    count = db.session.execute(select(func.count()).select_from(Budget)).scalar()
    assert 1 <= count <= 5
    assert line.startswith(f"Budgets: {count} monthly budgets")
    assert seed_demo_budgets(db.session, user) == "Budgets: already there"
    assert db.session.execute(select(func.count()).select_from(Budget)).scalar() == count
