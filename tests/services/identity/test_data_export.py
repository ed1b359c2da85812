"""The transactions export as rows for the one export writer: read back as XLSX, amounts are
numbers in each account's currency, payload text is text and never a formula."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import openpyxl

from finance_app import exports
from finance_app.extensions import db
from finance_app.services.identity import data_export
from tests.factories import make_account, make_txn, make_user, scope_of


def test_transaction_rows_written_as_xlsx_keep_numbers_and_neutralize_text(ctx):
    user = make_user()
    usd = make_account(user, "Checking")
    yen = make_account(user, "Travel", currency="JPY")
    make_txn(usd, "-12.5000", date(2025, 1, 2), "=HYPERLINK(\"http://evil.test\")",
             raw_description="@SUM(A1)")
    make_txn(yen, "1500", date(2025, 1, 3), "Refund", notes="-see email")
    db.session.commit()

    rows = data_export.iter_transaction_rows(db.session, scope_of(user))
    data = exports.to_xlsx(data_export.CSV_HEADER, rows, "Transactions")
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Transactions"]
    header, *values = [dict(zip(data_export.CSV_HEADER, row, strict=True))
                       for row in sheet.iter_rows(values_only=True)]

    assert list(header.values()) == data_export.CSV_HEADER
    assert [Decimal(str(v["amount"])) for v in values] == [Decimal("-12.50"), Decimal("1500")]
    assert [v["currency"] for v in values] == ["USD", "JPY"]
    assert values[0]["merchant"] == "'=HYPERLINK(\"http://evil.test\")"
    assert values[0]["description"] == "'@SUM(A1)" and values[1]["notes"] == "'-see email"
    assert values[0]["pending"] is False
    amount_cells = [row[2] for row in sheet.iter_rows(min_row=2)]
    assert [c.number_format for c in amount_cells] == ["#,##0.00", "#,##0"]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
