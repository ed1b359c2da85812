"""The importer never guesses silently: remembered signs re-checked, number formats from every
row, currency decimals, truncated files, ambiguous and future dates; rows counted each time."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from finance_app.extensions import db
from finance_app.importers import TruncatedFileError
from finance_app.models.imports import SavedMapping
from finance_app.models.ledger import ImportBatch, Transaction
from finance_app.services import imports
from tests.factories import make_account, make_user, scope_of

DATA = Path(__file__).resolve().parents[2] / "data" / "bank-exports"
LIMIT = 20 * 1024 * 1024
CARD = (b"Date,Description,Amount\n"
        b"01/02/2025,STARBUCKS,4.50\n01/03/2025,AMAZON,23.99\n01/04/2025,PAYMENT,-500.00\n"
        b"01/05/2025,SHELL,40.00\n")
CHECKING = (b"Date,Description,Amount\n"
            b"02/02/2025,BAKERY,-4.50\n02/03/2025,BOOKSHOP,-23.99\n02/04/2025,PAYROLL,2500.00\n"
            b"02/05/2025,GARAGE,-40.00\n")


@pytest.fixture()
def owner(ctx):
    return make_user("owner@example.com")


@pytest.fixture()
def checking(owner):
    account = make_account(owner, "Checking", type="checking")
    db.session.commit()
    return account


@pytest.fixture()
def card(owner):
    account = make_account(owner, "Visa", type="credit_card")
    db.session.commit()
    return account


@pytest.fixture()
def upload_dir(tmp_path):
    return str(tmp_path / "uploads")


def stage(owner, account, data, name, upload_dir):
    return imports.stage_upload(db.session, scope_of(owner), data, name, upload_dir=upload_dir,
                                max_bytes=LIMIT, account_id=account.id)


def confirm_and_run(owner, batch, mapping, upload_dir):
    imports.confirm_import(db.session, scope_of(owner), batch.id, upload_dir, mapping)
    db.session.commit()
    imports.run_import(db.session, batch.id, upload_dir)
    return db.session.get(ImportBatch, batch.id)


def count(account=None, model=Transaction):
    query = select(func.count()).select_from(model)
    if account is not None:
        query = query.where(Transaction.account_id == account.id)
    return db.session.scalar(query)


def amounts(account):
    return sorted(db.session.scalars(
        select(Transaction.amount).where(Transaction.account_id == account.id)))


def test_a_card_exports_sign_is_not_silently_reused_for_a_checking_file(
    owner, checking, card, upload_dir
):
    batch, preview = stage(owner, card, CARD, "card.csv", upload_dir)
    assert preview.mapping.invert_sign and not preview.awaits_sign_confirmation
    confirm_and_run(owner, batch, preview.mapping, upload_dir)
    assert count(card) == 4

    batch, preview = stage(owner, checking, CHECKING, "checking.csv", upload_dir)
    db.session.commit()  # the draft, as the upload page keeps it

    assert preview.remembered and preview.awaits_sign_confirmation
    assert "positive amounts are money out" in preview.mapping.sign_to_confirm
    assert not preview.mapping.invert_sign  # the file's evidence is what the preview shows
    with pytest.raises(imports.SignNotConfirmed):
        imports.confirm_import(db.session, scope_of(owner), batch.id, upload_dir,
                               preview.mapping)
    db.session.rollback()
    assert (count(checking), db.session.get(ImportBatch, batch.id).status) == (0, "draft")

    done = confirm_and_run(owner, batch, replace(preview.mapping, sign_confirmed=True),
                           upload_dir)

    assert (done.imported_count, count(checking), count(card)) == (4, 4, 4)
    assert amounts(checking) == [Decimal("-40.00"), Decimal("-23.99"), Decimal("-4.50"),
                                 Decimal("2500.00")]
    saved = db.session.scalars(select(SavedMapping)).one()
    assert saved.mapping["invert_sign"] is False and saved.mapping["sign_to_confirm"] == ""


def test_a_remembered_sign_that_agrees_with_the_file_proceeds_as_before(owner, card, upload_dir):
    batch, preview = stage(owner, card, CARD, "card.csv", upload_dir)
    confirm_and_run(owner, batch, preview.mapping, upload_dir)
    before = count(card)

    batch, preview = stage(owner, card, CARD.replace(b"/2025", b"/2024"), "card2.csv",
                           upload_dir)
    done = confirm_and_run(owner, batch, preview.mapping, upload_dir)

    assert preview.remembered and not preview.awaits_sign_confirmation
    assert (before, done.imported_count, count(card)) == (4, 4, 8)


def test_grouped_thousands_are_read_whole_even_under_a_remembered_point_format(
    owner, checking, upload_dir
):
    batch, preview = stage(owner, checking, CHECKING, "us.csv", upload_dir)
    confirm_and_run(owner, batch, preview.mapping, upload_dir)
    assert count(checking) == 4
    # Same header, another bank: semicolons and decimal commas.
    data = b"Date;Description;Amount\n03.01.2025;Miete;-1.234,56\n04.01.2025;Gehalt;2.000,00\n"

    batch, preview = stage(owner, checking, data, "eu.csv", upload_dir)
    done = confirm_and_run(owner, batch, preview.mapping, upload_dir)

    assert preview.remembered and preview.number_format == "1.234,56"
    assert (done.imported_count, done.error_count, count(checking)) == (2, 0, 6)
    assert Decimal("-1234.5600") in amounts(checking)
    assert Decimal("2000.0000") in amounts(checking)
    assert Decimal("-1.2346") not in amounts(checking)


@pytest.mark.parametrize(
    ("currency", "rows", "bad_row", "rule"),
    [
        ("USD", b"01/02/2025,A,-0.005\n01/03/2025,B,-4.50\n", 2,
         "USD amounts have at most 2 decimal places"),
        ("JPY", b"01/02/2025,A,-1200\n01/03/2025,B,1234.5\n", 3, "JPY amounts have no decimal"),
        ("KWD", b"01/02/2025,A,-1.2505\n01/03/2025,B,-1.250\n", 2, "at most 3 decimal places"),
    ],
)
def test_amounts_finer_than_the_accounts_currency_are_row_errors(
    owner, upload_dir, currency, rows, bad_row, rule
):
    account = make_account(owner, f"In {currency}", currency=currency)
    db.session.commit()
    batch, preview = stage(owner, account, b"Date,Description,Amount\n" + rows, "f.csv",
                           upload_dir)
    assert [e.row_number for e in preview.result.errors] == [bad_row]
    assert rule in preview.result.errors[0].reason

    done = confirm_and_run(owner, batch, preview.mapping, upload_dir)

    assert (done.imported_count, done.error_count, count(account)) == (1, 1, 1)
    assert done.errors[0]["row"] == bad_row


@pytest.mark.parametrize("name", ["statement.ofx", "statement.xlsx"])
def test_a_truncated_file_is_refused_whole_and_writes_nothing(owner, checking, upload_dir, name):
    data = (DATA / name).read_bytes()
    cut = data[: data.index(b"<STMTTRN>", len(data) // 2)] if name.endswith(".ofx") \
        else data[: len(data) * 9 // 10]

    with pytest.raises(TruncatedFileError) as raised:
        stage(owner, checking, cut, name, upload_dir)

    assert "ends before its closing tag" in raised.value.message
    db.session.rollback()
    assert (count(), count(model=ImportBatch)) == (0, 0)
    assert not Path(upload_dir).exists() or not any(Path(upload_dir).iterdir())


def test_the_preview_reports_ambiguous_and_future_dates(owner, checking, upload_dir):
    data = (b"Date,Description,Amount\n01/02/03,A,-1.00\n02/03/03,B,-2.00\n"
            b"03/04/99,C,-3.00\n04/05/99,D,-4.00\n")
    today = dt.date(2025, 6, 1)

    _, staged = stage(owner, checking, data, "old.csv", upload_dir)
    preview = imports.preview_import(db.session, scope_of(owner), data, "old.csv", checking.id,
                                     staged.mapping, today=today)

    assert preview.date_ambiguity is not None and preview.date_ambiguity.count == 4
    assert preview.mapping.date_order == "MDY"  # the default is unchanged, only shown
    # "99" is 1999, so nothing is ahead; four-digit years in 2099 are.
    assert preview.future_rows == []
    future = data.replace(b"/99", b"/2099")
    preview = imports.preview_import(db.session, scope_of(owner), future, "f.csv", checking.id,
                                     today=today)
    assert preview.future_rows == [4, 5]
