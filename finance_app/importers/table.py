"""Bytes to a RawTable: format sniffing, encoding and delimiter detection, header-row finding."""

from __future__ import annotations

import codecs
import csv
import io
import os
from collections import Counter
from collections.abc import Iterable

from ..money import MoneyError, parse_amount
from .dates import looks_like_date
from .errors import EmptyFileError, NoDataRowsError, NotATableError, UnsupportedFormatError
from .headers import keyword_hits
from .records import FileFormat, RawTable

DELIMITERS = (",", ";", "\t", "|")
_HEADER_SEARCH_ROWS = 60

# Magic numbers of files people upload by mistake. PDFs and legacy .xls get their own message
# because the user can fix those by exporting again.
_NOT_TABLES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"BM6", b"RIFF", b"\x7fELF",
               b"MZ", b"Rar!", b"7z\xbc\xaf", b"II*\x00", b"MM\x00*", b"\x00\x00\x01\x00")
_UNSUPPORTED = {b"%PDF": "PDF", b"\xd0\xcf\x11\xe0": "legacy Excel .xls (save it as .xlsx or CSV)"}
# charset-normalizer is only trusted for multi-byte encodings: on short Western files it
# confuses the Windows code pages, and cp1252 (then Latin-1) is the right guess there.
_MULTIBYTE = {"shift_jis", "cp932", "euc_jp", "iso2022_jp", "gb18030", "gb2312", "gbk", "big5",
              "big5hkscs", "euc_kr", "cp949", "johab", "utf_16", "utf_32"}


def read_table(data: bytes, filename: str = "") -> RawTable:
    """Read an uploaded file into a RawTable; the format is judged by content first, name second.

    Raises an `ImportFileError` subclass when the file as a whole cannot be read.
    """
    kind = sniff_format(data, filename)
    if kind == "xlsx":
        from .xlsx import read_xlsx

        return read_xlsx(data)
    text, encoding = decode(data)
    if kind == "text":
        kind = _sniff_text(text, filename)
    if kind == "ofx":
        from .ofx import read_ofx

        return read_ofx(data, text, encoding)
    if kind == "qif":
        from .qif import read_qif

        return read_qif(text, encoding)
    return read_delimited(text, encoding)


def sniff_format(data: bytes, filename: str = "") -> str:
    """"xlsx" or "text" from the first bytes; raises for empty, binary and unsupported files."""
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise EmptyFileError(f"{filename or 'upload'}: no content")
    head = data[:8]
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    for magic, name in _UNSUPPORTED.items():
        if head.startswith(magic):
            raise UnsupportedFormatError(f"{filename}: {name}")
    if head.startswith(_NOT_TABLES):
        raise NotATableError(f"{filename}: binary file ({head[:4]!r})")
    return "text"


def _extension(filename: str) -> str:
    return os.path.splitext(filename.lower())[1]


def _sniff_text(text: str, filename: str) -> str:
    head = text[:4096].lstrip().upper()
    if "OFXHEADER" in head or "<OFX>" in head or head.startswith("<OFX"):
        return "ofx"
    first_line = head.split("\n", 1)[0].strip()
    if first_line.startswith(("!TYPE", "!ACCOUNT", "!OPTION", "!CLEAR")):
        return "qif"
    ext = _extension(filename)
    if ext in (".ofx", ".qfx") and "<STMTTRN>" in text.upper():
        return "ofx"
    if ext == ".qif" and first_line[:1] in ("D", "T", "P") and "\n^" in text:
        return "qif"
    if head.startswith(("<!DOCTYPE", "<HTML", "<TABLE", "<?XML", "{", "[")):
        raise UnsupportedFormatError(f"{filename}: markup or JSON, not a table")
    if ext in (".ofx", ".qfx", ".qif"):
        raise UnsupportedFormatError(f"{filename}: named {ext} but the content is not")
    return "csv"


def decode(data: bytes) -> tuple[str, str]:
    """Decode text: BOMs first, then strict UTF-8, then multi-byte guesses, then cp1252/Latin-1."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), encoding
    sample = data[:4096]
    nuls = sample.count(b"\x00")
    if nuls:
        # BOM-less UTF-16 has a NUL in every other byte of ASCII text; anything else is binary.
        odd, even = sample[1::2].count(b"\x00"), sample[0::2].count(b"\x00")
        if nuls > len(sample) // 3 and (odd == 0 or even == 0):
            encoding = "utf-16-le" if even == 0 else "utf-16-be"
            return data.decode(encoding, errors="replace"), encoding
        raise NotATableError("binary content (NUL bytes)")
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = _decode_legacy(data)
    _reject_control_characters(text)
    return text, encoding


def _decode_legacy(data: bytes) -> tuple[str, str]:
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:65536]).best()
        if best is not None and best.encoding in _MULTIBYTE:
            return data.decode(best.encoding, errors="replace"), best.encoding
    except Exception:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _reject_control_characters(text: str) -> None:
    sample = text[:8192]
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\r\n\f\x1a")
    if controls > max(2, len(sample) // 100):
        raise NotATableError(f"{controls} control characters in the first {len(sample)}")


def detect_delimiter(text: str) -> str:
    """The delimiter that splits most lines into the same number (>1) of fields.

    csv.Sniffer's guess is tried too and wins ties, but on its own it is fooled by preambles
    and by decimal commas, so every candidate is scored on field-count consistency.
    """
    sample = text[:65536]
    if len(text) > len(sample) and "\n" in sample:
        sample = sample[: sample.rfind("\n")]
    lines = [line for line in sample.splitlines()[:200] if line.strip()]
    candidates = list(DELIMITERS)
    try:
        sniffed = csv.Sniffer().sniff(sample[:16384], delimiters="".join(DELIMITERS)).delimiter
        candidates.remove(sniffed)
        candidates.insert(0, sniffed)
    except (csv.Error, ValueError):
        pass
    best, best_score = ",", (0, 0)
    for delimiter in candidates:
        try:
            widths = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:
            continue
        counts = Counter(w for w in widths if w > 1)
        if not counts:
            continue
        width, rows = counts.most_common(1)[0]
        score = (rows, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_delimited(text: str, encoding: str) -> RawTable:
    delimiter = detect_delimiter(text)
    try:
        records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        return build_table(records, "csv", encoding=encoding, delimiter=delimiter)
    except csv.Error as exc:
        raise NotATableError(str(exc)) from exc


def build_table(
    records: Iterable[list[str]],
    fmt: FileFormat,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> RawTable:
    """Find the header among the leading rows and keep the rows below it (blank ones dropped)."""
    rows: list[list[str]] = []
    numbers: list[int] = []
    for number, record in enumerate(records, 1):
        cells = [cell.strip() for cell in record]
        if any(cells):
            rows.append(cells)
            numbers.append(number)
    if not rows:
        raise EmptyFileError("only blank rows")
    header_index = find_header(rows)
    if header_index is None:
        header: list[str] = []
        start = 0
    else:
        header = _trimmed(rows[header_index])
        start = header_index + 1
    data, data_numbers = rows[start:], numbers[start:]
    if not data:
        raise NoDataRowsError("no rows below the header")
    width = max(len(header), max(len(_trimmed(row)) for row in data))
    if width < 2:
        raise NotATableError("a single column")
    return RawTable(
        columns=_column_names(header, width),
        rows=data,
        row_numbers=data_numbers,
        format=fmt,
        header=tuple(header),
        header_row=numbers[header_index] if header_index is not None else None,
        encoding=encoding,
        delimiter=delimiter,
    )


def _trimmed(row: list[str]) -> list[str]:
    end = len(row)
    while end and not row[end - 1]:
        end -= 1
    return row[:end]


def _is_amount(cell: str) -> bool:
    try:
        parse_amount(cell)
    except MoneyError:
        return False
    return True


def _has_date(row: list[str]) -> bool:
    return any(cell and looks_like_date(cell) for cell in row)


def find_header(rows: list[list[str]]) -> int | None:
    """Index of the header row, or None when the file starts straight with data.

    A header has at least two filled cells, none of them a date and few of them numbers, is
    followed within three rows by a row holding a date, and the more of the next twenty rows
    hold dates (data, not more preamble) and the more cells read like column names, the likelier.
    Banks' summary blocks above the real header (Bank of America) lose on both counts.
    """
    best, best_score = None, -1.0
    for i, cells in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        filled = [cell for cell in cells if cell]
        if len(filled) < 2 or _has_date(filled):
            continue
        if sum(1 for cell in filled if _is_amount(cell)) * 3 > len(filled):
            continue
        following = rows[i + 1 : i + 21]
        if not any(_has_date(row) for row in following[:3]):
            continue
        data_share = sum(1 for row in following if _has_date(row)) / len(following)
        score = 3 * data_share + 2 * keyword_hits(filled) + len(filled) / len(cells) / 2
        if score > best_score + 1e-9:
            best, best_score = i, score
    if best is not None:
        return best
    first = rows[0]
    # No row fits: a first row without dates or numbers is still a header (its data may be in a
    # date format we cannot read, which detect_mapping reports); otherwise there is no header.
    if not _has_date(first) and not any(_is_amount(cell) for cell in first if cell):
        return 0
    return None


def _column_names(header: list[str], width: int) -> tuple[str, ...]:
    names: list[str] = []
    seen: set[str] = set()
    for index in range(width):
        name = header[index] if index < len(header) and header[index] else f"Column {index + 1}"
        unique, n = name, 2
        while unique.casefold() in seen:
            unique, n = f"{name} ({n})", n + 1
        seen.add(unique.casefold())
        names.append(unique)
    return tuple(names)
