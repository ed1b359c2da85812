"""Bank files (bytes) to parsed transactions: no Flask, no database.

    table, mapping, result = parse_file(data, "export.csv")
    for row in result.rows:        # ParsedRow: date, signed Decimal amount, description, ...
        row.fingerprint(account_key)
    result.errors                  # RowError: row_number as the user sees it, reason, raw

Step by step: `read_table` -> `detect_mapping` (or a mapping remembered for
`table.signature`, via `ColumnMapping.from_dict`) -> `apply_mapping`. File-level problems raise
a subclass of `ImportFileError` whose `message` is meant for the user.
"""

from __future__ import annotations

from .errors import (
    EmptyFileError,
    ImportFileError,
    MappingMismatchError,
    NoAmountColumnError,
    NoDataRowsError,
    NoDateColumnError,
    NotATableError,
    TruncatedFileError,
    UnsupportedFormatError,
)
from .fingerprint import (
    assign_occurrences,
    description_similarity,
    fingerprint,
    header_signature,
    is_probable_duplicate,
)
from .mapping import detect_mapping
from .parse import apply_mapping, parse_file
from .records import ColumnMapping, ParsedRow, ParseResult, RawTable, RowError, SkippedRow
from .table import read_table

__all__ = [
    "ColumnMapping",
    "EmptyFileError",
    "ImportFileError",
    "MappingMismatchError",
    "NoAmountColumnError",
    "NoDataRowsError",
    "NoDateColumnError",
    "NotATableError",
    "ParseResult",
    "ParsedRow",
    "RawTable",
    "RowError",
    "SkippedRow",
    "TruncatedFileError",
    "UnsupportedFormatError",
    "apply_mapping",
    "assign_occurrences",
    "description_similarity",
    "detect_mapping",
    "fingerprint",
    "header_signature",
    "is_probable_duplicate",
    "parse_file",
    "read_table",
]
