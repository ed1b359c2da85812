"""The pure renderers: CSV and XLSX read back exactly (money as numbers in the currency's
decimals), formula-like text neutralized, and the PDF's text (pypdf) holding the totals, the
filters and "Page N of M" on every page."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pypdf
from openpyxl import load_workbook

from finance_app.reports.data import (
    COUNT,
    MONEY,
    PERCENT,
    Chart,
    Column,
    Figure,
    ReportData,
    Row,
    Section,
    Series,
    Table,
    Totals,
)
from finance_app.reports.pdf import render_pdf
from finance_app.reports.tabular import render_csv, render_xlsx

EVIL = "=HYPERLINK(\"http://x\",\"click\")"


def sample(rows: int = 3, currency: str = "USD") -> ReportData:
    merchants = tuple(Row((f"Shop {n}", Decimal(f"{n}.25"), n, Decimal("1.5")))
                      for n in range(1, rows + 1))
    return ReportData(
        title="Financial report", household="The Smiths", currency=currency,
        start=date(2026, 1, 1), end=date(2026, 3, 31), generated_on=date(2026, 4, 2),
        totals=Totals(Decimal("12345.67"), Decimal("2345.10"), 42),
        filters=(("Accounts", "All accounts"), ("Merchant", EVIL)),
        sections=(
            Section("summary", "Summary", (Figure("Income", Decimal("12345.67")),
                                           Figure("Savings rate", Decimal("81.0"), PERCENT),
                                           Figure("Transactions counted", 42, COUNT))),
            Section("merchants", "Merchants", (), (Table(
                "Top merchants", (Column("Merchant"), Column("Spent", MONEY),
                                  Column("Transactions", COUNT), Column("Share", PERCENT)),
                (Row((EVIL, Decimal("0.1"), 1, None)), Row(("@SUM(A1)", Decimal("-2"), 1, None)),
                 Row(("-12.50", Decimal("3.333"), 1, None)), *merchants)),),
                Chart("hbar", "Where", ("a", "b"), (Series("Spent", (Decimal(1), Decimal(2)),
                                                           "#dc2626"),))),
        ),
    )


def test_csv_reads_back_exactly_and_neutralizes_formulas():
    text = render_csv(sample()).decode("utf-8")
    lines = list(csv.reader(io.StringIO(text)))
    assert ["From", "2026-01-01"] in lines and ["Merchant", "'" + EVIL] in lines
    assert ["Income", "12345.67", "USD"] in lines
    header = lines.index(["Merchant", "Spent (USD)", "Transactions", "Share (%)"])
    assert lines[header + 1] == ["'" + EVIL, "0.10", "1", ""]
    assert lines[header + 2] == ["'@SUM(A1)", "-2.00", "1", ""]
    assert lines[header + 3] == ["-12.50", "3.33", "1", ""]  # a plain number stays as it is
    assert lines[header + 4] == ["Shop 1", "1.25", "1", "1.5"]
    assert not any(cell.startswith(("=", "@", "+")) for line in lines for cell in line)


def test_csv_uses_the_currency_decimals():
    text = render_csv(sample(currency="JPY")).decode()
    assert "Income,12346,JPY" in text  # 0 decimals, banker's rounding of 12345.67


def test_xlsx_one_sheet_per_section_numbers_typed_text_neutralized():
    book = load_workbook(io.BytesIO(render_xlsx(sample())))
    assert book.sheetnames == ["Report", "Summary", "Merchants"]
    summary = [[c.value for c in r] for r in book["Summary"].iter_rows()]
    assert ["Income", Decimal("12345.67"), "USD"] in [
        [v if not isinstance(v, float) else Decimal(str(v)) for v in r] for r in summary]
    sheet = book["Merchants"]
    values = [[c for c in r] for r in sheet.iter_rows()]
    first = next(i for i, r in enumerate(values) if r[0].value == "Merchant")
    evil_cell, amount = values[first + 1][0], values[first + 1][1]
    assert evil_cell.value == "'" + EVIL and evil_cell.data_type == "s"
    assert amount.value == 0.1 and amount.number_format == "#,##0.00"
    assert values[first + 3][1].value == 3.33  # quantized to cents before writing
    assert Decimal(str(values[first + 4][1].value)) == Decimal("1.25")


def pdf_pages(body: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(body)).pages]


def test_pdf_has_cover_totals_and_numbers_every_page():
    steps = []
    body = render_pdf(sample(rows=160), lambda p, m: steps.append(p))
    assert body.startswith(b"%PDF")
    pages = pdf_pages(body)
    assert len(pages) >= 3  # the cover, and a table long enough to break across pages
    for n, text in enumerate(pages, start=1):
        assert f"Page {n} of {len(pages)}" in text
    cover = pages[0]
    assert "Financial report" in cover and "The Smiths" in cover
    assert "$12,345.67" in cover and "$2,345.10" in cover and "$10,000.57" in cover
    assert "All accounts" in cover and "1 Jan 2026 – 31 Mar 2026" in cover
    # The table's header repeats on the page it continues on.
    continued = [t for t in pages[2:] if "Shop 1" in t or "Shop 15" in t]
    assert continued and all("Merchant" in t and "Spent" in t for t in continued)
    assert "Shop 160" in "".join(pages)
    assert steps and steps == sorted(steps)


def test_pdf_formats_other_currencies():
    pages = pdf_pages(render_pdf(sample(currency="EUR")))
    assert "€12,345.67" in pages[0]
