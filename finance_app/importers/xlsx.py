"""Excel .xlsx workbooks (openpyxl, read-only): cells become the strings a CSV would hold."""

from __future__ import annotations

import datetime as dt
import io
import warnings
import zipfile
from decimal import Decimal

from .errors import EmptyFileError, TruncatedFileError, UnsupportedFormatError
from .records import RawTable
from .table import build_table

# Floats from Excel carry binary noise (0.30000000000000004); ten places keeps every real
# amount and drops the noise.
_FLOAT_QUANTUM = Decimal("1e-10")


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        number = Decimal(repr(value))
        if number.as_tuple().exponent < -10:  # type: ignore[operator]
            number = number.quantize(_FLOAT_QUANTUM).normalize()
        return format(number, "f")
    return str(value).strip()


def read_xlsx(data: bytes) -> RawTable:
    """Read the sheet with the most filled rows (statements rarely span sheets)."""
    try:
        import openpyxl

        # Bank-made workbooks often lack styles; openpyxl warns, and there is nothing to act on.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, EOFError) as exc:
        # An .xlsx is a zip whose directory is at its end: a cut-off download loses it.
        raise TruncatedFileError(f"corrupt zip: {exc}") from exc
    except Exception as exc:  # openpyxl raises several types for zips that aren't workbooks
        raise UnsupportedFormatError(f"not an xlsx workbook: {exc}") from exc
    try:
        best: list[list[str]] = []
        best_filled = 0
        for sheet in workbook.worksheets:
            records = [[cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            filled = sum(1 for row in records if sum(1 for c in row if c) >= 2)
            if filled > best_filled:
                best, best_filled = records, filled
    except Exception as exc:  # a damaged sheet fails mid-read: no partial sheet is imported
        raise TruncatedFileError(f"unreadable sheet: {type(exc).__name__}: {exc}") from exc
    finally:
        workbook.close()
    if not best:
        raise EmptyFileError("no sheet with data")
    return build_table(best, "xlsx")
