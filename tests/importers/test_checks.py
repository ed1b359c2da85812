"""Second looks at a mapping: remembered choices re-checked, ambiguous dates, future dates."""

from __future__ import annotations

import datetime as dt

from finance_app.importers import ColumnMapping, apply_mapping, detect_mapping, read_table
from finance_app.importers.checks import (
    date_ambiguity,
    future_rows,
    recheck_remembered,
    sign_evidence,
)

CARD = ("Date,Description,Amount\n"
        "01/02/2025,STARBUCKS,4.50\n01/03/2025,AMAZON,23.99\n01/04/2025,PAYMENT,-500.00\n"
        "01/05/2025,SHELL,40.00\n")
CHECKING = ("Date,Description,Amount\n"
            "01/02/2025,STARBUCKS,-4.50\n01/03/2025,AMAZON,-23.99\n01/04/2025,PAYROLL,2500.00\n"
            "01/05/2025,SHELL,-40.00\n")


def table_of(text: str, name: str = "upload.csv"):
    return read_table(text.encode(), name)


def test_a_card_mapping_remembered_for_a_checking_file_asks_to_confirm_the_sign():
    card = detect_mapping(table_of(CARD))
    assert card.invert_sign  # positive = money out
    checking = table_of(CHECKING)

    mapping = recheck_remembered(checking, card, liability=False)

    assert not mapping.invert_sign  # the file's own evidence is proposed...
    assert mapping.awaits_sign_confirmation  # ...but not taken silently
    assert "positive amounts are money out" in mapping.sign_to_confirm
    assert "3 of 4 sampled amounts" in mapping.sign_to_confirm
    assert [str(r.amount) for r in apply_mapping(checking, mapping).rows] == [
        "-4.50", "-23.99", "2500.00", "-40.00"]


def test_a_remembered_mapping_that_agrees_is_used_as_it_is():
    card = detect_mapping(table_of(CARD))

    mapping = recheck_remembered(table_of(CARD.replace("23.99", "12.00")), card, liability=True)

    assert mapping.invert_sign and not mapping.sign_to_confirm


def test_unsigned_amounts_follow_the_accounts_kind():
    unsigned = table_of(CARD.replace("-500.00", "500.00"))
    saved = ColumnMapping(date_column=0, description_columns=(1,), amount_column=2)

    assert sign_evidence(unsigned, saved, liability=True).invert_sign is True
    assert sign_evidence(unsigned, saved, liability=False) is None  # cannot tell: no question
    assert recheck_remembered(unsigned, saved, liability=True).awaits_sign_confirmation


def test_a_remembered_number_format_follows_the_new_files_amounts():
    saved = detect_mapping(table_of(CHECKING))
    assert saved.decimal_separator == "."
    european = table_of("Date;Description;Amount\n"
                        "02.01.2025;Miete;-1.234,56\n03.01.2025;Gehalt;2.000,00\n")

    mapping = recheck_remembered(european, saved, liability=False)

    assert mapping.decimal_separator == ","
    assert [str(r.amount) for r in apply_mapping(european, mapping).rows] == [
        "-1234.56", "2000.00"]
    # With the old format, the rows are refused, not misread as -1.23456.
    errors = apply_mapping(european, saved).errors
    assert [e.row_number for e in errors] == [2, 3]
    assert "read as 1,234.56" in errors[0].reason


def test_dates_that_read_both_ways_are_reported():
    table = table_of("Date,Description,Amount\n01/02/03,A,-1.00\n02/03/03,B,-2.00\n"
                     "2003-03-04,C,-3.00\n")
    mapping = detect_mapping(table)

    ambiguity = date_ambiguity(table, mapping)

    assert ambiguity is not None
    assert (ambiguity.example, ambiguity.count) == ("01/02/03", 2)
    assert (ambiguity.day_first, ambiguity.month_first) == (dt.date(2003, 2, 1),
                                                            dt.date(2003, 1, 2))


def test_one_date_above_12_settles_the_order():
    table = table_of("Date,Description,Amount\n01/02/2025,A,-1.00\n13/02/2025,B,-2.00\n")

    assert date_ambiguity(table, detect_mapping(table)) is None


def test_rows_dated_beyond_a_week_ahead_are_listed():
    table = table_of("Date,Description,Amount\n2025-01-02,A,-1.00\n2025-01-09,B,-2.00\n"
                     "2025-01-10,C,-3.00\n2099-01-01,D,-4.00\n")
    rows = apply_mapping(table, detect_mapping(table)).rows

    assert future_rows(rows, today=dt.date(2025, 1, 2)) == [4, 5]
