from __future__ import annotations

import pytest

from finance_app.importers import (
    ColumnMapping,
    NoAmountColumnError,
    NoDateColumnError,
    detect_mapping,
    read_table,
)

from .conftest import as_keys


def mapping_of(text: str) -> ColumnMapping:
    return detect_mapping(read_table(text.encode(), "upload.csv"))


def test_debit_and_credit_columns(parse_text):
    text = (
        "Date,Description,Withdrawals,Deposits,Balance\n"
        "01/02/2025,Rent,1200.00,,800.00\n"
        "01/03/2025,Salary,,2500.00,3300.00\n"
        "01/04/2025,Refund,-15.00,,3285.00\n"  # some banks write debits negative
    )
    mapping = mapping_of(text)
    assert (mapping.debit_column, mapping.credit_column, mapping.amount_column) == (2, 3, None)
    assert as_keys(parse_text(text)) == [
        ("2025-01-02", "-1200.00", "Rent"),
        ("2025-01-03", "2500.00", "Salary"),
        ("2025-01-04", "-15.00", "Refund"),
    ]


def test_unnamed_complementary_columns_are_out_then_in(parse_text):
    text = "2025-01-02,Rent,1200.00,\n2025-01-03,Salary,,2500.00\n2025-01-04,Tea,3.10,\n"
    assert as_keys(parse_text(text)) == [
        ("2025-01-02", "-1200.00", "Rent"),
        ("2025-01-03", "2500.00", "Salary"),
        ("2025-01-04", "-3.10", "Tea"),
    ]


def test_cr_dr_indicator_column(parse_text):
    text = (
        "Date,Narrative,Amount,CR/DR\n"
        "02/01/2025,TESCO STORES,23.10,DR\n"
        "03/01/2025,SALARY,2000.00,CR\n"
        "13/01/2025,AMAZON,9.99,D\n"
    )
    mapping = mapping_of(text)
    assert mapping.indicator_column == 3
    assert as_keys(parse_text(text)) == [
        ("2025-01-02", "-23.10", "TESCO STORES"),
        ("2025-01-03", "2000.00", "SALARY"),
        ("2025-01-13", "-9.99", "AMAZON"),
    ]


def test_unknown_indicator_value_is_a_row_error(parse_text):
    text = "Date,Payee,Amount,Type\n2025-01-02,A,1.00,DEBIT\n2025-01-03,B,2.00,DEBIT\n" \
           "2025-01-04,C,3.00,CREDIT\n2025-01-05,D,4.00,DEBIT\n2025-01-06,E,5.00,DEBIT\n" \
           "2025-01-07,F,6.00,DEBIT\n2025-01-08,G,7.00,DEBIT\n2025-01-09,H,8.00,DEBIT\n" \
           "2025-01-10,I,9.00,DEBIT\n2025-01-11,J,10.00,DEBIT\n2025-01-12,K,11.00,DEBIT\n" \
           "2025-01-13,L,12.00,DEBIT\n2025-01-14,M,13.00,DEBIT\n2025-01-15,N,14.00,DEBIT\n" \
           "2025-01-16,O,15.00,DEBIT\n2025-01-17,P,16.00,DEBIT\n2025-01-18,Q,17.00,DEBIT\n" \
           "2025-01-19,R,18.00,DEBIT\n2025-01-20,S,19.00,DEBIT\n2025-01-21,T,20.00,HOLD\n"
    result = parse_text(text)
    assert len(result.rows) == 19
    assert result.rows[2].amount > 0 > result.rows[0].amount
    assert [(e.row_number, e.reason) for e in result.errors] == [
        (21, '"HOLD" does not say whether this is a debit or a credit.')]


def test_sale_payment_types_with_positive_spending_flip_the_sign(parse_text):
    text = (
        "Trans. Date,Description,Type,Amount\n"
        "01/02/2025,STARBUCKS,Sale,4.50\n"
        "01/03/2025,PAYMENT THANK YOU,Payment,-500.00\n"
        "01/04/2025,SHELL,Sale,40.00\n"
        "01/05/2025,RETURN SHOES,Return,-60.00\n"
    )
    mapping = mapping_of(text)
    assert mapping.invert_sign is True
    assert [r.amount > 0 for r in parse_text(text).rows] == [False, True, False, True]


def test_type_column_outweighs_a_positive_majority(parse_text):
    # A savings account with more deposits than withdrawals: mostly positive, but signed right.
    text = "Date,Details,Description,Amount\n" + "".join(
        f"2025-01-{d:02d},CREDIT,Deposit {d},100.00\n" for d in range(1, 8)
    ) + "2025-01-09,DEBIT,Transfer out,-50.00\n"
    mapping = mapping_of(text)
    assert mapping.invert_sign is False
    assert parse_text(text).rows[-1].amount < 0


def test_all_positive_amounts_without_marker_are_spending_with_lower_confidence(parse_text):
    text = "Date,Description,Amount\n2025-01-02,Coffee,3.20\n2025-01-03,Lunch,12.00\n"
    mapping = mapping_of(text)
    assert mapping.invert_sign is True
    assert mapping.confidence < 0.7
    assert any("please check" in line for line in mapping.explanation)


def test_amounts_in_parentheses_are_negative(parse_text):
    text = (
        "Date,Description,Amount\n"
        "2025-01-02,Groceries,(45.10)\n"
        "2025-01-03,Salary,\"2,000.00\"\n"
        "2025-01-04,Fuel,($30.00)\n"
    )
    assert [str(r.amount) for r in parse_text(text).rows] == ["-45.10", "2000.00", "-30.00"]


def test_european_decimals_with_semicolons(parse_text):
    text = (
        "Buchungstag;Verwendungszweck;Betrag;Währung\n"
        "01.02.2025;REWE Markt;-1.234,56;EUR\n"
        "03.02.2025;Gehalt;2.500,00;EUR\n"
        "04.02.2025;Bäckerei;-3,5;EUR\n"
    )
    mapping = mapping_of(text)
    assert (mapping.decimal_separator, mapping.date_order) == (",", "DMY")
    result = parse_text(text)
    assert as_keys(result) == [
        ("2025-02-01", "-1234.56", "REWE Markt"),
        ("2025-02-03", "2500.00", "Gehalt"),
        ("2025-02-04", "-3.5", "Bäckerei"),
    ]
    assert {r.currency for r in result.rows} == {"EUR"}


def test_french_headers_and_month_names(parse_text):
    text = (
        "Date de l'opération;Libellé;Montant\n"
        "02 janv. 2025;CARREFOUR;-12,30\n"
        "15 févr. 2025;VIREMENT SALAIRE;1 800,00\n"
    )
    assert as_keys(parse_text(text)) == [
        ("2025-01-02", "-12.30", "CARREFOUR"),
        ("2025-02-15", "1800.00", "VIREMENT SALAIRE"),
    ]


def test_month_name_dates(parse_text):
    text = 'Date,Description,Amount\n"Jan 2, 2025",Coffee,-3.20\n"Feb 14, 2025",Flowers,-40.00\n'
    assert [r.date.isoformat() for r in parse_text(text).rows] == ["2025-01-02", "2025-02-14"]


def test_transaction_date_beats_posting_date_and_balance_is_not_amount():
    text = (
        "Posting Date,Transaction Date,Description,Balance,Amount\n"
        "2025-01-04,2025-01-02,Coffee,100.00,-3.20\n"
        "2025-01-05,2025-01-03,Tea,96.80,-2.10\n"
    )
    mapping = mapping_of(text)
    assert (mapping.date_column, mapping.amount_column) == (1, 4)


def test_columns_found_by_content_when_headers_are_foreign():
    text = (
        "Päiväys,Saaja,Summa EUR\n"
        "02.01.2025,K-Market,\"-12,40\"\n"
        "13.01.2025,Palkka,\"2100,00\"\n"
    )
    mapping = mapping_of(text)
    assert (mapping.date_column, mapping.amount_column, mapping.description_columns) == (0, 2, (1,))
    assert mapping.date_order == "DMY"


def test_symbol_sets_the_default_currency(parse_text):
    text = "Date,Description,Amount\n2025-01-02,Tea,-£2.10\n2025-01-03,Pay,£900.00\n"
    assert [r.currency for r in parse_text(text).rows] == ["GBP", "GBP"]


def test_no_date_column():
    with pytest.raises(NoDateColumnError) as info:
        mapping_of("Name,Amount\nCoffee,3.20\nTea,2.10\n")
    assert info.value.message == "No column of dates was found in this file."


def test_no_amount_column():
    with pytest.raises(NoAmountColumnError):
        mapping_of("Date,Name,Note\n2025-01-02,Coffee,nice\n2025-01-03,Tea,ok\n")


def test_mapping_round_trips_through_a_dict(load_sample):
    mapping = detect_mapping(read_table(load_sample("capital_one.csv"), "c.csv"))
    assert ColumnMapping.from_dict(mapping.to_dict()) == mapping
    assert mapping.amount_mode == "debit_credit"


def test_explanation_names_the_chosen_columns(load_sample):
    mapping = detect_mapping(read_table(load_sample("chase_checking.csv"), "c.csv"))
    assert mapping.explanation[0].startswith('Date: column "Posting Date"')
    assert 'Description: "Description"' in mapping.explanation


def test_german_export_with_preamble_quotes_and_windows_1252(parse_text):
    text = (
        '"Kontonummer:";"DE12 3456";\n\n"Von:";"01.01.2025";\n"Bis:";"31.01.2025";\n'
        '"Kontostand vom 31.01.2025:";"1.234,56 EUR";\n\n'
        '"Buchungstag";"Wertstellung";"Buchungstext";"Auftraggeber / Begünstigter";'
        '"Verwendungszweck";"Kontonummer";"BLZ";"Betrag (EUR)";"Gläubiger-ID";\n'
        '"02.01.2025";"02.01.2025";"Lastschrift";"REWE";"Einkauf";"DE00";"123";"-1.023,45";"";\n'
        '"13.01.2025";"13.01.2025";"Gutschrift";"ACME";"Gehalt";"DE00";"123";"2.500,00";"";\n'
    )
    result = parse_text(text.encode("cp1252"), "umsaetze.csv")
    assert as_keys(result) == [
        ("2025-01-02", "-1023.45", "REWE - Einkauf"),
        ("2025-01-13", "2500.00", "ACME - Gehalt"),
    ]
    assert [r.row_number for r in result.rows] == [8, 9]
