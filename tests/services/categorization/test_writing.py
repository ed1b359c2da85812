"""Tests for services/categorization/writing.py on SQLite, where decisions go out through the
driver's executemany: every decision lands, with a timestamp the ORM reads back."""
# ruff: noqa: F811  (pytest fixtures imported from tests.categorization_fixtures)

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from finance_app.extensions import db
from finance_app.models.categorization import CategorySuggestion
from finance_app.models.ledger import SOURCE_IMPORT, Transaction
from finance_app.services.categorization import categorize
from finance_app.services.categorization.writing import CHUNK
from tests.categorization_fixtures import (  # noqa: F401
    app_config,
    base_model_dir,
    model_dir,
    settings,
    small_base_model,
)
from tests.factories import account, make_user, scope_of

STRINGS = [
    ("[credit] ORIG CO NAME:GLOBEX CO ENTRY DESCR:PAYROLL SEC:PPD", "3100.00"),
    ("SQ *BLUE BOTTLE COFFEE", "-4.50"),
    ("SHELL OIL 57442", "-41.20"),
    ("XQZ 7781 HOLDINGS", "-40.00"),
]


@pytest.fixture()
def sqlite_app(tmp_path, make_app, model_dir):
    from flask_migrate import upgrade

    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'writer.sqlite3'}",
                   MODEL_DIR=str(model_dir))
    with app.app_context():
        upgrade(revision="heads")
        yield app
        db.session.rollback()


@pytest.mark.parametrize("count", [7, CHUNK + 700])
def test_decisions_are_written_whole_on_sqlite(sqlite_app, settings, count):
    uid = make_user("writer@example.com").id
    scope = scope_of(uid)
    household_id = scope.household_id
    acct = account(scope)
    db.session.execute(sa.insert(Transaction), [
        {"household_id": household_id, "account_id": acct.id,
         "date": date(2025, 1, 1) + timedelta(days=i % 300),
         "amount": Decimal(STRINGS[i % 4][1]), "raw_description": f"{STRINGS[i % 4][0]} {i:07d}",
         "source": SOURCE_IMPORT, "locked_fields": [], "fingerprint": f"fp-{i}"}
        for i in range(count)
    ])
    mine = sa.select(Transaction).where(Transaction.household_id == household_id)
    txns = list(db.session.scalars(mine))
    before = datetime.now().replace(microsecond=0) - timedelta(days=1)

    summary = categorize(db.session, scope, txns, settings=settings)
    db.session.commit()
    db.session.expire_all()

    decided = sum(summary.decided.values())
    assert decided + summary.review == count
    assert decided > 0 and summary.review > 0
    stored = db.session.scalars(mine).all()
    assert sum(t.category_id is not None for t in stored) == decided
    assert all(t.merchant for t in stored)
    assert {t.category_source for t in stored} == {"model", None}
    assert all(t.category_confidence is None or 0 < t.category_confidence <= 1 for t in stored)
    assert all(isinstance(t.updated_at, datetime) and t.updated_at > before for t in stored)
    queued = db.session.scalar(sa.select(sa.func.count()).select_from(CategorySuggestion))
    assert queued == summary.review
