"""`flask reports export`: the summary report written in each format, and its last line
`income=X.XX spending=X.XX net=X.XX transactions=N` on the hand-computed ledger."""

from __future__ import annotations

import io

import pypdf
import pytest
from openpyxl import load_workbook

from finance_app.extensions import db
from tests.factories import build_ledger, make_user

LINE = "income=3000.00 spending=540.00 net=2460.00 transactions=7"


@pytest.fixture()
def export(app, tmp_path):
    with app.app_context():
        build_ledger(make_user("cli@example.com"))
        db.session.commit()

    def run(file_format: str, *extra: str, start: str = "2026-03-01", email: str =
            "cli@example.com"):
        out = tmp_path / f"report.{file_format}"
        result = app.test_cli_runner().invoke(args=[
            "reports", "export", "--user", email, "--from", start, "--to", "2026-03-31",
            "--format", file_format, "--out", str(out), *extra])
        return result, out
    return run


def test_csv_and_the_last_line(export):
    result, out = export("csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == LINE
    text = out.read_text(encoding="utf-8")
    assert "Income,3000.00,USD" in text and "Spending,540.00,USD" in text


def test_pdf_and_xlsx(export):
    result, out = export("pdf")
    assert result.stdout.splitlines()[-1] == LINE
    pages = [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(out.read_bytes())).pages]
    assert "$540.00" in pages[0] and f"Page 1 of {len(pages)}" in pages[0]
    result, out = export("xlsx")
    assert result.stdout.splitlines()[-1] == LINE
    assert "Summary" in load_workbook(out).sheetnames


def test_february_alone(export):
    result, _ = export("csv", start="2026-02-01")
    # February: salary 3000, groceries 100; March as above.
    assert result.stdout.splitlines()[-1] == (
        "income=6000.00 spending=640.00 net=5360.00 transactions=9")


def test_bad_input_is_refused(export):
    result, out = export("csv", email="nobody@example.com")
    assert result.exit_code == 1 and "no user" in result.output and not out.exists()
    result, out = export("csv", start="2026-04-01")
    assert result.exit_code == 1 and "end date is before" in result.output
    result, out = export("csv", start="March")
    assert result.exit_code == 1 and "YYYY-MM-DD" in result.output
