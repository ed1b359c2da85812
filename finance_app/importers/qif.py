"""Quicken Interchange Format: '!Type:' sections of records ending in '^'."""

from __future__ import annotations

from .amounts import infer_decimal_separator
from .dates import infer_date_order
from .errors import NoDataRowsError
from .records import ColumnMapping, RawTable

COLUMNS = ("Date", "Amount", "Payee", "Memo", "Category", "Number")
_FIELDS = {"D": 0, "T": 1, "U": 1, "P": 2, "M": 3, "L": 4, "N": 5}
# Sections that list things other than transactions; their records are skipped.
_LIST_SECTIONS = ("!ACCOUNT", "!TYPE:CAT", "!TYPE:CLASS", "!TYPE:MEMORIZED", "!TYPE:SECURITY",
                  "!TYPE:PRICES", "!TYPE:TEMPLATE")


def read_qif(text: str, encoding: str) -> RawTable:
    rows: list[list[str]] = []
    numbers: list[int] = []
    in_list = False
    current: list[str] | None = None
    start = 0
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        if line.startswith("!"):
            upper = line.upper().replace(" ", "")
            if upper.startswith("!OPTION") or upper.startswith("!CLEAR"):
                continue
            in_list = upper.startswith(_LIST_SECTIONS)
            current = None
            continue
        if line == "^":
            if current is not None and not in_list and any(current):
                rows.append(current)
                numbers.append(start)
            current = None
            continue
        if in_list:
            continue
        if current is None:
            current, start = [""] * len(COLUMNS), number
        index = _FIELDS.get(line[0])
        # Split lines (S, E, $) belong to the parent transaction, whose total is in T.
        if index is not None and not current[index]:
            current[index] = line[1:].strip()
    if current is not None and not in_list and any(current):
        rows.append(current)
        numbers.append(start)
    if not rows:
        raise NoDataRowsError("QIF without transactions")
    decimal = infer_decimal_separator(row[1] for row in rows)
    order, why = infer_date_order((row[0] for row in rows), day_first_hint=decimal == ",")
    mapping = ColumnMapping(
        date_column=0,
        amount_column=1,
        description_columns=(2, 3),
        date_order=order,
        decimal_separator=decimal,
        explanation=("QIF file: signed amounts come from the file.", f"Dates {why}."),
    )
    return RawTable(
        columns=COLUMNS,
        rows=rows,
        row_numbers=numbers,
        format="qif",
        header=COLUMNS,
        encoding=encoding,
        preset_mapping=mapping,
    )
