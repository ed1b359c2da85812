"""The import pipeline end to end through its services: samples, nasty files, duplicates, undo."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from finance_app.extensions import db
from finance_app.importers import ImportFileError
from finance_app.models.imports import PendingDuplicate, SavedMapping
from finance_app.models.ledger import Account, ImportBatch, Transaction
from finance_app.services import imports
from finance_app.services.errors import NotFound
from tests.factories import household_of, make_user, scope_of

DATA = Path(__file__).resolve().parents[2] / "data" / "bank-exports"
SAMPLES = ["amex.csv", "bofa_checking.csv", "capital_one.csv", "chase_checking.csv",
           "chase_credit_card.csv", "monzo.csv", "export.qif", "statement.ofx", "statement.xlsx"]
LIMIT = 20 * 1024 * 1024


@pytest.fixture()
def owner(ctx):
    return make_user("owner@example.com")


@pytest.fixture()
def account(owner):
    acct = Account(household_id=household_of(owner), owner_id=owner.id, name="Checking",
                   currency="USD")
    db.session.add(acct)
    db.session.commit()
    return acct


@pytest.fixture()
def upload_dir(tmp_path):
    return str(tmp_path / "uploads")


def run(owner, account_id, data, name, upload_dir, mapping=None):
    """Stage, confirm with the detected (or given) mapping and run the job; returns the batch."""
    batch, preview = imports.stage_upload(db.session, scope_of(owner), data, name,
                                          upload_dir=upload_dir, max_bytes=LIMIT,
                                          account_id=account_id)
    imports.confirm_import(db.session, scope_of(owner), batch.id, upload_dir,
                           mapping or preview.mapping)
    db.session.commit()
    imports.run_import(db.session, batch.id, upload_dir)
    return db.session.get(ImportBatch, batch.id)


def stored(account_id):
    return Counter(
        (t.date.isoformat(), t.amount, t.raw_description)
        for t in db.session.scalars(select(Transaction).where(Transaction.account_id == account_id))
    )


def expected():
    with (DATA / "expected.csv").open(newline="", encoding="utf-8") as handle:
        return Counter((r["date"], Decimal(r["amount"]), r["description"])
                       for r in csv.DictReader(handle))


@pytest.mark.parametrize("name", SAMPLES)
def test_every_sample_export_imports_with_right_dates_amounts_and_signs(
    owner, account, upload_dir, name
):
    batch = run(owner, account.id, (DATA / name).read_bytes(), name, upload_dir)

    assert (batch.status, batch.error_count, batch.duplicate_count) == ("completed", 0, 0)
    assert stored(account.id) == expected()
    assert batch.imported_count == sum(expected().values())


def test_the_same_file_twice_imports_nothing_the_second_time(owner, account, upload_dir):
    data = (DATA / "chase_checking.csv").read_bytes()
    first = run(owner, account.id, data, "chase.csv", upload_dir)

    second = run(owner, account.id, data, "chase.csv", upload_dir)

    assert first.imported_count == 242
    assert (second.imported_count, second.duplicate_count, second.review_count) == (0, 242, 0)
    assert sum(stored(account.id).values()) == 242


def test_the_same_transactions_in_another_format_are_skipped_too(owner, account, upload_dir):
    run(owner, account.id, (DATA / "chase_checking.csv").read_bytes(), "chase.csv", upload_dir)

    again = run(owner, account.id, (DATA / "amex.csv").read_bytes(), "amex.csv", upload_dir)

    assert (again.imported_count, again.duplicate_count) == (0, 242)


def test_overlapping_exports_import_only_the_new_days(owner, account, upload_dir):
    header = "Date,Description,Amount\n"
    days = [f"01/{d:02d}/2025,COFFEE SHOP,-4.50\n" for d in range(1, 21)]
    run(owner, account.id, (header + "".join(days[:12])).encode(), "a.csv", upload_dir)

    second = run(owner, account.id, (header + "".join(days[8:])).encode(), "b.csv", upload_dir)

    # A daily coffee is not mistaken for yesterday's: exact matches use up their partners first.
    assert (second.imported_count, second.duplicate_count, second.review_count) == (8, 4, 0)
    assert sum(stored(account.id).values()) == 20


def test_two_identical_purchases_on_one_day_both_survive_and_stay_deduplicated(
    owner, account, upload_dir
):
    data = b"Date,Description,Amount\n01/02/2025,TACO TRUCK,-9.00\n01/02/2025,TACO TRUCK,-9.00\n"

    first = run(owner, account.id, data, "tacos.csv", upload_dir)
    second = run(owner, account.id, data, "tacos.csv", upload_dir)

    assert first.imported_count == 2
    assert (second.imported_count, second.duplicate_count) == (0, 2)


def test_a_row_synced_from_plaid_holds_the_file_row_for_review(owner, account, upload_dir):
    plaid = Transaction(household_id=household_of(owner), account_id=account.id,
                        date=dt.date(2025, 1, 1), amount=Decimal("-23.10"),
                        raw_description="Blue Bottle Coffee", source="plaid",
                        external_id="plaid-abc")
    db.session.add(plaid)
    db.session.commit()
    data = (b"Date,Description,Amount\n01/03/2025,SQ *BLUE BOTTLE COFFEE,-23.10\n"
            b"01/03/2025,HARDWARE STORE,-23.10\n")

    batch = run(owner, account.id, data, "bank.csv", upload_dir)

    assert (batch.imported_count, batch.review_count) == (1, 1)
    held = db.session.scalars(select(PendingDuplicate)).one()
    assert (held.description, held.matched_transaction_id) == ("SQ *BLUE BOTTLE COFFEE", plaid.id)
    # Importing the file again neither re-imports nor holds the row a second time.
    again = run(owner, account.id, data, "bank.csv", upload_dir)
    assert (again.imported_count, again.duplicate_count, again.review_count) == (0, 2, 0)


def test_import_anyway_and_skip(owner, account, upload_dir):
    db.session.add_all([
        Transaction(household_id=household_of(owner), account_id=account.id,
                    date=dt.date(2025, 1, 1), amount=Decimal("-5.00"), raw_description=text,
                    source="manual")
        for text in ("LUNCH CART", "BOOK SHOP")
    ])
    db.session.commit()
    data = b"Date,Description,Amount\n01/02/2025,LUNCH CART,-5.00\n01/02/2025,BOOK SHOP,-5.00\n"
    batch = run(owner, account.id, data, "b.csv", upload_dir)
    lunch, book = imports.list_pending(db.session, scope_of(owner), batch.id)

    imports.resolve_pending(db.session, scope_of(owner), lunch[0].id, "import")
    imports.resolve_pending(db.session, scope_of(owner), book[0].id, "skip")
    db.session.commit()

    assert stored(account.id)[("2025-01-02", Decimal("-5.0000"), "LUNCH CART")] == 1
    assert ("2025-01-02", Decimal("-5.0000"), "BOOK SHOP") not in stored(account.id)
    assert imports.list_pending(db.session, scope_of(owner), batch.id) == []
    assert db.session.get(ImportBatch, batch.id).imported_count == 1


def test_mixed_date_formats_european_decimals_and_a_totals_row(owner, account, upload_dir):
    data = ("Buchungstag;Verwendungszweck;Betrag\n"
            "02.01.2025;Bäckerei Müller;-3,20\n"
            "2025-01-03;Gehalt ACME GmbH;2.500,00\n"
            "04.01.2025;Supermarkt;-1.234,56\n"
            ";Summe;1.262,24\n").encode("cp1252")

    batch = run(owner, account.id, data, "konto.csv", upload_dir)

    assert batch.skipped_count == 1
    assert stored(account.id) == Counter({
        ("2025-01-02", Decimal("-3.2000"), "Bäckerei Müller"): 1,
        ("2025-01-03", Decimal("2500.0000"), "Gehalt ACME GmbH"): 1,
        ("2025-01-04", Decimal("-1234.5600"), "Supermarkt"): 1,
    })


@pytest.mark.parametrize(
    ("data", "name", "error"),
    [
        (b"", "empty.csv", "EmptyFileError"),
        (b"Date,Description,Amount\n", "header-only.csv", "NoDataRowsError"),
        (bytes(range(256)) * 40, "binary.csv", "NotATableError"),
        (b"%PDF-1.7\n" + b"\x00" * 100, "statement.csv", "UnsupportedFormatError"),
        (b"Name,Amount\nAnn,12.00\nBob,3.00\n", "no-dates.csv", "NoDateColumnError"),
        (b"Date,Name\n01/02/2025,Ann\n01/03/2025,Bob\n", "no-amounts.csv", "NoAmountColumnError"),
        (b"Date,Description,Amount\n01/02/2025,A,x\n01/03/2025,B,y\n", "bad.csv",
         "NoAmountColumnError"),
    ],
)
def test_file_level_failures_write_nothing(owner, account, upload_dir, data, name, error):
    with pytest.raises(ImportFileError) as raised:
        imports.stage_upload(db.session, scope_of(owner), data, name, upload_dir=upload_dir,
                             max_bytes=LIMIT, account_id=account.id)

    assert type(raised.value).__name__ == error
    assert raised.value.message  # a sentence for the user
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(ImportBatch)) == 0
    assert not Path(upload_dir).exists() or not any(Path(upload_dir).iterdir())


def test_over_the_size_limit_is_refused_before_reading(owner, account, upload_dir):
    with pytest.raises(imports.FileTooLargeError) as raised:
        imports.stage_upload(db.session, scope_of(owner), b"x" * 2048, "big.csv",
                             upload_dir=upload_dir, max_bytes=1024, account_id=account.id)

    assert "1 KB upload limit" in raised.value.message


def test_a_job_that_dies_midway_leaves_nothing_behind(owner, account, upload_dir, monkeypatch):
    rows = "".join(f"01/{1 + i % 28:02d}/2025,SHOP {i},-{i}.00\n" for i in range(1, 5001))
    data = ("Date,Description,Amount\n" + rows).encode()
    batch, preview = imports.stage_upload(db.session, scope_of(owner), data, "big.csv",
                                          upload_dir=upload_dir, max_bytes=LIMIT,
                                          account_id=account.id)
    imports.confirm_import(db.session, scope_of(owner), batch.id, upload_dir, preview.mapping)
    db.session.commit()
    inserted = []

    def dying_after_the_insert(session, scope, ids, decisions):
        inserted.append(session.scalar(select(func.count()).select_from(Transaction)))
        raise RuntimeError("worker killed")  # the rows are in, the review queue is not

    monkeypatch.setattr("finance_app.services.imports.running.store_review_and_tags",
                        dying_after_the_insert)
    monkeypatch.setattr("finance_app.services.imports.running.CHUNK", 2000)
    with pytest.raises(RuntimeError):
        imports.run_import(db.session, batch.id, upload_dir)

    assert inserted and inserted[0] > 2000  # it died after writing every chunk
    assert db.session.scalar(select(func.count()).select_from(Transaction)) == 0
    failed = db.session.get(ImportBatch, batch.id)
    assert (failed.status, failed.upload_key) == ("failed", None)
    assert "nothing was imported" in failed.failure
    assert list(Path(upload_dir).iterdir()) == []


def test_running_the_job_again_changes_nothing(owner, account, upload_dir):
    batch = run(owner, account.id, (DATA / "monzo.csv").read_bytes(), "monzo.csv", upload_dir)

    summary = imports.run_import(db.session, batch.id, upload_dir)

    assert summary["imported"] == 242
    assert sum(stored(account.id).values()) == 242


def test_undo_removes_the_batchs_rows_only(owner, account, upload_dir):
    keep = run(owner, account.id, b"Date,Description,Amount\n01/02/2025,RENT,-900\n", "a.csv",
               upload_dir)
    batch = run(owner, account.id, (DATA / "chase_checking.csv").read_bytes(), "c.csv",
                upload_dir)

    removed = imports.undo_import(db.session, scope_of(owner), batch.id)
    db.session.commit()

    assert removed == 242
    assert sum(stored(account.id).values()) == 1
    assert db.session.get(ImportBatch, batch.id).status == "reverted"
    assert db.session.get(ImportBatch, keep.id).status == "completed"
    with pytest.raises(imports.CannotUndo):
        imports.undo_import(db.session, scope_of(owner), batch.id)


def test_the_next_file_with_the_same_header_maps_itself(owner, account, upload_dir):
    first = b"Posted,Payee,Value,Kind\n01/02/2025,ACME PAYROLL,100.00,Credit\n" \
            b"01/03/2025,CAFE,4.00,Debit\n01/04/2025,BAR,7.00,Debit\n"
    batch, preview = imports.stage_upload(db.session, scope_of(owner), first, "one.csv",
                                          upload_dir=upload_dir, max_bytes=LIMIT,
                                          account_id=account.id)
    mapping = preview.mapping  # the user flips the sign on the preview page
    mapping.invert_sign = not mapping.invert_sign
    imports.confirm_import(db.session, scope_of(owner), batch.id, upload_dir, mapping)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(SavedMapping)) == 1

    later = b"posted, payee ,VALUE,kind\n02/02/2025,CAFE,4.00,Debit\n02/03/2025,BAR,5.00,Debit\n"
    _, again = imports.stage_upload(db.session, scope_of(owner), later, "two.csv",
                                    upload_dir=upload_dir, max_bytes=LIMIT,
                                    account_id=account.id)

    assert again.remembered is True
    assert again.mapping.invert_sign == mapping.invert_sign
    other = make_user("other@example.com")
    other_account = Account(household_id=household_of(other), owner_id=other.id, name="Mine")
    db.session.add(other_account)
    db.session.flush()
    _, theirs = imports.stage_upload(db.session, scope_of(other), later, "two.csv",
                                     upload_dir=upload_dir, max_bytes=LIMIT,
                                     account_id=other_account.id)
    assert theirs.remembered is False  # mappings are per household


def test_an_account_of_another_user_is_not_found(owner, account, upload_dir):
    other = make_user("other@example.com")

    with pytest.raises(NotFound):
        imports.stage_upload(db.session, scope_of(other), (DATA / "amex.csv").read_bytes(), "a.csv",
                             upload_dir=upload_dir, max_bytes=LIMIT, account_id=account.id)


@pytest.mark.slow
def test_fifty_thousand_rows(owner, account, upload_dir):
    lines = ["Date,Description,Amount"]
    for i in range(50_000):
        day = f"{1 + i % 12:02d}/{1 + i % 28:02d}/2024"
        lines.append(f"{day},MERCHANT {i % 997},-{i % 500}.{i % 100:02d}")
    data = ("\n".join(lines) + "\n").encode()

    batch = run(owner, account.id, data, "big.csv", upload_dir)

    assert batch.total_rows == 50_000
    assert batch.imported_count + batch.duplicate_count == 50_000 - batch.error_count
    assert db.session.scalar(select(func.count()).select_from(Transaction)) == \
        batch.imported_count
    assert batch.imported_count == 50_000


def test_undo_removes_receipt_files_of_the_batchs_rows(app, owner, account, upload_dir):
    from finance_app.services.transactions import attachments
    batch = run(owner, account.id, b"Date,Description,Amount\n01/02/2025,HARDWARE,-90\n",
                "h.csv", upload_dir)
    txn = db.session.scalars(select(Transaction).where(
        Transaction.import_batch_id == batch.id)).one()
    receipt_dir = app.config["ATTACHMENT_DIR"]
    receipt = attachments.add_attachment(db.session, scope_of(owner), txn.id, "r.png",
                                         b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, receipt_dir)
    db.session.commit()
    path = attachments.storage_path(receipt_dir, receipt.storage_key)
    assert path.exists()

    imports.undo_import(db.session, scope_of(owner), batch.id, receipt_dir)
    assert path.exists()  # not before the deletion commits
    db.session.commit()

    assert not path.exists()


def test_new_rows_are_written_whole_categorized_and_bump_the_ledger_version(
    owner, account, upload_dir, monkeypatch
):
    from finance_app.services.imports import running
    from finance_app.services.ledger.version import get_ledger_version

    categorized = []
    real = running.decide_new

    def spy(session, scope, new):
        categorized.extend(t.raw_description for t in new)
        return real(session, scope, new)

    monkeypatch.setattr(running, "decide_new", spy)
    before = get_ledger_version(db.session, household_of(owner))
    data = b"Date,Description,Amount\n01/02/2025,SQ *BLUE BOTTLE COFFEE,-4.50\n" \
           b"01/03/2025,ACME PAYROLL,1200\n"

    batch = run(owner, account.id, data, "c.csv", upload_dir)

    db.session.expire_all()
    rows = db.session.scalars(select(Transaction).where(Transaction.import_batch_id == batch.id)
                              .order_by(Transaction.date)).all()
    assert sorted(categorized) == sorted(t.raw_description for t in rows)
    assert get_ledger_version(db.session, household_of(owner)) != before
    coffee, pay = rows
    assert (coffee.date, coffee.amount, coffee.raw_description, coffee.merchant) == (
        dt.date(2025, 1, 2), Decimal("-4.5000"), "SQ *BLUE BOTTLE COFFEE", "Blue Bottle Coffee")
    assert (pay.amount, pay.merchant) == (Decimal("1200.0000"), "Acme Payroll")
    assert (coffee.household_id, coffee.account_id, coffee.source) == (
        household_of(owner), account.id, "import")
    assert coffee.created_by_id == owner.id  # who imported the file
    assert (coffee.is_pending, coffee.is_excluded, coffee.locked_fields, coffee.notes) == (
        False, False, [], "")
    assert coffee.tags == [] and coffee.splits == []
    assert coffee.fingerprint and coffee.fingerprint != pay.fingerprint
    assert coffee.created_at is not None and coffee.updated_at is not None


def test_insert_rows_on_sqlite_stores_what_the_orm_reads_back(tmp_path):
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session, lazyload

    from finance_app.services.imports.writing import insert_rows

    engine = create_engine(f"sqlite:///{tmp_path / 'ledger.sqlite3'}")
    Transaction.__table__.create(engine)
    now = dt.datetime(2025, 1, 5, 12, 30, 1, 250)
    with engine.connect() as connection, Session(bind=connection) as session:
        insert_rows(session, Transaction.__table__, ("date", "amount", "raw_description"), [
            (dt.date(2025, 1, 2), Decimal("-4.5"), "CAFE"),
            (dt.date(2025, 1, 3), Decimal("1234567.8912"), "PAY"),
        ], {"household_id": 7, "account_id": 3, "source": "import", "is_pending": False,
            "is_excluded": False, "locked_fields": [], "created_at": now, "updated_at": now,
            "merchant": "", "notes": "", "provider_category": ""})
        cafe, pay = session.scalars(select(Transaction).options(lazyload("*"))
                                    .order_by(Transaction.id)).all()

        assert (cafe.date, cafe.amount, cafe.raw_description) == (
            dt.date(2025, 1, 2), Decimal("-4.5000"), "CAFE")
        assert pay.amount == Decimal("1234567.8912")
        assert (cafe.household_id, cafe.account_id, cafe.is_pending, cafe.locked_fields) == (
            7, 3, False, [])
        assert cafe.created_at == now
    engine.dispose()


def test_confirming_the_previewed_mapping_does_not_read_the_rows_again(
    owner, account, upload_dir, monkeypatch
):
    from finance_app.services.imports import drafts

    batch, preview = imports.stage_upload(db.session, scope_of(owner),
                                          (DATA / "amex.csv").read_bytes(), "amex.csv",
                                          upload_dir=upload_dir, max_bytes=LIMIT,
                                          account_id=account.id)
    reads = []
    real = drafts.apply_mapping
    monkeypatch.setattr(drafts, "apply_mapping", lambda t, m: reads.append(m) or real(t, m))

    imports.confirm_import(db.session, scope_of(owner), batch.id, upload_dir, preview.mapping)

    assert reads == []
    assert (batch.status, batch.total_rows) == ("queued", preview.total_rows)
    assert "checked" not in batch.mapping  # the job's mapping is the plain one


def test_confirming_other_choices_still_checks_the_file(owner, account, upload_dir, monkeypatch):
    from finance_app.services.imports import drafts

    data = b"Date,Description,Amount\n01/02/2025,CAFE,-4.50\n01/03/2025,BAR,-7\n"
    batch, preview = imports.stage_upload(db.session, scope_of(owner), data, "c.csv",
                                          upload_dir=upload_dir, max_bytes=LIMIT,
                                          account_id=account.id)
    reads = []
    real = drafts.apply_mapping
    monkeypatch.setattr(drafts, "apply_mapping", lambda t, m: reads.append(m) or real(t, m))
    wrong = preview.mapping
    wrong.date_column = 1  # the description column: no row has a date there

    with pytest.raises(imports.NothingToImport):
        imports.confirm_import(db.session, scope_of(owner), batch.id, upload_dir, wrong)

    assert len(reads) == 1
    assert db.session.get(ImportBatch, batch.id).status == "draft"


def test_each_file_row_resembles_the_closest_unclaimed_synced_row(owner, account, upload_dir):
    synced = {}
    for day in (1, 2, 3, 4, 20):
        txn = Transaction(household_id=household_of(owner), account_id=account.id,
                          date=dt.date(2025, 1, day), amount=Decimal("-4.50"),
                          raw_description="Blue Bottle Coffee", source="plaid")
        db.session.add(txn)
        synced[day] = txn
    db.session.commit()
    # Days 2 and 3 of the file have their own synced row; day 10 is 6 days from the nearest.
    data = b"Date,Description,Amount\n" + b"".join(
        f"01/{day:02d}/2025,SQ *BLUE BOTTLE COFFEE,-4.50\n".encode() for day in (2, 3, 10))

    batch = run(owner, account.id, data, "bank.csv", upload_dir)

    assert (batch.imported_count, batch.review_count) == (1, 2)
    held = {p.date.day: p.matched_transaction_id
            for p in db.session.scalars(select(PendingDuplicate))}
    assert held == {2: synced[2].id, 3: synced[3].id}


def test_the_import_job_checks_budget_alerts_when_it_added_rows(app, owner, account, upload_dir):
    from finance_app.models.job import Job
    from finance_app.tasks.imports import run_import_later

    data = b"Date,Description,Amount\n01/02/2025,GROCER,-90\n"
    for expected_checks in (1, 1):  # the second, identical file adds nothing: no new check
        batch, preview = imports.stage_upload(db.session, scope_of(owner), data, "g.csv",
                                              upload_dir=app.config["UPLOAD_DIR"],
                                              max_bytes=LIMIT, account_id=account.id)
        imports.confirm_import(db.session, scope_of(owner), batch.id, app.config["UPLOAD_DIR"],
                               preview.mapping)
        db.session.commit()
        run_import_later(scope_of(owner), batch.id)
        checks = db.session.scalars(select(Job).where(
            Job.household_id == household_of(owner), Job.name == "budget_alerts")).all()
        assert len(checks) == expected_checks
        assert all(job.status == "finished" for job in checks)
