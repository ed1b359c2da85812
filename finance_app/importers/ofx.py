"""OFX/QFX statements: ofxtools' parser first, a tolerant tag scanner for SGML it refuses."""

from __future__ import annotations

import html
import io
import re

from .amounts import infer_decimal_separator
from .errors import NoDataRowsError, TruncatedFileError, UnsupportedFormatError
from .records import ColumnMapping, RawTable

COLUMNS = ("Date", "Amount", "Name", "Memo", "Type", "FITID", "Currency", "Account")
_TAG = re.compile(r"<(/?)([A-Za-z0-9.]+)>([^<]*)")
_STMTTRN = re.compile(r"<STMTTRN>", re.IGNORECASE)
_CLOSING = re.compile(r"</OFX>", re.IGNORECASE)
_STATEMENTS = ("STMTRS", "CCSTMTRS")


def read_ofx(data: bytes, text: str, encoding: str) -> RawTable:
    # A download cut short still parses (the tolerant scanner reads what is there): refuse it
    # whole rather than import its first transactions as if they were the statement.
    if _CLOSING.search(text) is None:
        raise TruncatedFileError(f"no </OFX> in {len(text)} characters")
    try:
        transactions = _with_ofxtools(data)
    except Exception:  # ofxtools is strict about headers and SGML; fall back to the scanner
        transactions = _tolerant(text)
    if not transactions:
        if "<STMTTRN>" not in text.upper() and "<BANKTRANLIST>" not in text.upper():
            raise UnsupportedFormatError("OFX without bank or card statement transactions")
        raise NoDataRowsError("OFX statement without transactions")
    line_numbers = _line_numbers(text)
    if len(line_numbers) != len(transactions):
        line_numbers = list(range(1, len(transactions) + 1))
    # Entities survive both parsers ("PG&amp;E"); SGML files use them too.
    rows = [[html.unescape(cell) for cell in _row(t)] for t in transactions]
    mapping = ColumnMapping(
        date_column=0,
        amount_column=1,
        description_columns=(2, 3),
        date_order="YMD",
        decimal_separator=infer_decimal_separator(row[1] for row in rows),
        external_id_column=5,
        currency_column=6,
        explanation=("OFX statement: dates, signed amounts and FITIDs come from the file.",),
    )
    return RawTable(
        columns=COLUMNS,
        rows=rows,
        row_numbers=line_numbers,
        format="ofx",
        header=COLUMNS,
        encoding=encoding,
        preset_mapping=mapping,
    )


def _row(t: dict[str, str]) -> list[str]:
    posted = (t.get("DTPOSTED") or t.get("DTUSER") or "").strip()
    # Only the calendar day: converting the zone (as ofxtools' models do) can move an evening
    # transaction to the next day.
    day = f"{posted[:4]}-{posted[4:6]}-{posted[6:8]}" if len(posted) >= 8 else posted
    name = t.get("NAME") or t.get("PAYEE") or ""
    memo = t.get("MEMO", "")
    if memo and memo in name:
        memo = ""
    currency = t.get("CURSYM") or t.get("CURRENCY") or t.get("_CURDEF", "")
    return [day, t.get("TRNAMT", ""), name, memo, t.get("TRNTYPE", ""), t.get("FITID", ""),
            currency, t.get("_ACCTID", "")]


def _with_ofxtools(data: bytes) -> list[dict[str, str]]:
    from ofxtools.Parser import OFXTree

    tree = OFXTree()
    tree.parse(io.BytesIO(data))
    root = tree.getroot()
    if root is None:
        raise UnsupportedFormatError("OFX without a root element")
    transactions: list[dict[str, str]] = []
    for element in root.iter():
        if element.tag not in _STATEMENTS:
            continue
        context = {"_CURDEF": element.findtext("CURDEF") or "",
                   "_ACCTID": element.findtext(".//ACCTID") or ""}
        for trn in element.iter("STMTTRN"):
            fields = dict(context)
            for child in trn.iter():
                if len(child) == 0 and child.text and child.text.strip():
                    fields[child.tag] = child.text.strip()
            transactions.append(fields)
    return transactions


def _tolerant(text: str) -> list[dict[str, str]]:
    """Scan tags in order: SGML OFX 1.x leaves leaf tags unclosed, a value runs to the next '<'."""
    transactions: list[dict[str, str]] = []
    context = {"_CURDEF": "", "_ACCTID": ""}
    current: dict[str, str] | None = None
    for match in _TAG.finditer(text):
        closing, tag, value = match.group(1), match.group(2).upper(), match.group(3).strip()
        if tag == "STMTTRN":
            if current is not None:
                transactions.append(current)
            current = None if closing else dict(context)
        elif tag in ("BANKTRANLIST", "STMTRS", "CCSTMTRS") and closing and current is not None:
            transactions.append(current)
            current = None
        elif not closing and value:
            if current is not None:
                current[tag] = value
            elif tag == "CURDEF":
                context["_CURDEF"] = value
            elif tag == "ACCTID":
                context["_ACCTID"] = value
    if current is not None:
        transactions.append(current)
    return transactions


def _line_numbers(text: str) -> list[int]:
    numbers, line, last = [], 1, 0
    for match in _STMTTRN.finditer(text):
        line += text.count("\n", last, match.start())
        last = match.start()
        numbers.append(line)
    return numbers
