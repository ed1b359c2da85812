"""The import job with the categorizer in place: categories are decided before the rows are
written and stored with them, with the review queue's suggestions and the tags rules add."""

from __future__ import annotations

from sqlalchemy import select

from finance_app.extensions import db
from finance_app.models.categorization import CategorySuggestion
from finance_app.models.ledger import Account, Transaction
from finance_app.services import imports
from finance_app.services.categorization.rules import RuleInput, create_rule
from finance_app.services.transactions import records as txn_service
from tests.categorization_fixtures import app_config, base_model_dir, model_dir, small_base_model  # noqa: F401
from tests.factories import category, household_of, imported, make_user, scope_of

CSV = (
    "Date,Description,Amount\n"
    "01/02/2025,ORIG CO NAME:GLOBEX PAYROLL,2500.00\n"
    "01/03/2025,AMAZON MKTPL*AIDPW5772C1,-41.00\n"
    "01/04/2025,SQ *BLUE BOTTLE COFFEE,-4.50\n"
    "01/05/2025,XQZ 7781 HOLDINGS,-40.00\n"
)


def test_imported_rows_arrive_categorized_tagged_and_queued(ctx, tmp_path):
    uid = make_user("importer@example.com").id
    scope = scope_of(uid)
    account = Account(household_id=household_of(uid), owner_id=uid, name="Checking",
                      currency="USD")
    db.session.add(account)
    db.session.flush()
    household = category(uid, "Household")
    income = category(uid, "Income")
    earlier = imported(uid, "AMZN Mktp US*2K4L12", "-23.50", acct=account)
    txn_service.update_transaction(db.session, scope, earlier.id, category_id=household.id)
    create_rule(db.session, scope, RuleInput(
        name="Payroll", conditions=[{"field": "description", "op": "contains",
                                     "value": "payroll"}],
        category_id=income.id, merchant="Globex", tags=["salary"]))
    db.session.commit()

    upload_dir = str(tmp_path / "uploads")
    batch, preview = imports.stage_upload(db.session, scope, CSV.encode(), "jan.csv",
                                          upload_dir=upload_dir, max_bytes=1 << 20,
                                          account_id=account.id)
    imports.confirm_import(db.session, scope, batch.id, upload_dir, preview.mapping)
    db.session.commit()
    imports.run_import(db.session, batch.id, upload_dir)
    db.session.expire_all()

    rows = {t.raw_description: t for t in db.session.scalars(
        select(Transaction).where(Transaction.import_batch_id == batch.id))}
    payroll = rows["ORIG CO NAME:GLOBEX PAYROLL"]
    assert (payroll.category_id, payroll.category_source, payroll.merchant) == (
        income.id, "rule", "Globex")
    assert [t.name for t in payroll.tags] == ["salary"]
    amazon = rows["AMAZON MKTPL*AIDPW5772C1"]
    assert (amazon.category_id, amazon.category_source) == (household.id, "history")
    coffee = rows["SQ *BLUE BOTTLE COFFEE"]
    assert coffee.merchant == "Blue Bottle Coffee" and coffee.tags == []
    unknown = rows["XQZ 7781 HOLDINGS"]
    queued = {s.transaction_id: s.suggestions for s in db.session.scalars(
        select(CategorySuggestion).where(CategorySuggestion.household_id == household_of(uid)))}
    # every row either has its category or waits in review with the model's suggestions
    for txn in rows.values():
        assert (txn.category_id is None) == (txn.id in queued)
        assert txn.category_id is None or txn.category_source in {"rule", "history", "model"}
    assert unknown.category_id is None and 1 <= len(queued[unknown.id]) <= 3
    assert queued[unknown.id][0][1] == unknown.category_confidence
