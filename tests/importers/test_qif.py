from __future__ import annotations

import pytest

from finance_app.importers import NoDataRowsError, parse_file

from .conftest import as_keys

QIF = """!Account
NChecking
TBank
^
!Type:Cat
NGroceries
^
!Type:Bank
D15/01'25
T-1,234.50
PLANDLORD
MJanuary rent
LHousing
^
D3/ 2'25
U2,000.00
T2,000.00
PEMPLOYER
^
D4/ 2'25
T-60.00
PSPLIT SHOP
SFood
$-40.00
SHome
$-20.00
^
"""


def test_qif_sections_splits_and_quicken_dates():
    table, mapping, result = parse_file(QIF.encode(), "money.qif")
    assert (table.format, mapping.date_order) == ("qif", "DMY")
    assert as_keys(result) == [
        ("2025-01-15", "-1234.50", "LANDLORD - January rent"),
        ("2025-02-03", "2000.00", "EMPLOYER"),
        ("2025-02-04", "-60.00", "SPLIT SHOP"),
    ]
    assert [r.row_number for r in result.rows] == [9, 15, 20]


def test_qif_without_transactions():
    with pytest.raises(NoDataRowsError):
        parse_file(b"!Type:Bank\n", "empty.qif")
