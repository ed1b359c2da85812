"""Setting an import up: read the upload, choose its mapping (remembered or detected), preview."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from finance_app.db import DbSession
from finance_app.importers import (
    ColumnMapping,
    ImportFileError,
    MappingMismatchError,
    ParseResult,
    RawTable,
    RowError,
    apply_mapping,
    detect_mapping,
    read_table,
)
from finance_app.importers.amounts import number_format
from finance_app.importers.checks import (
    DateAmbiguity,
    date_ambiguity,
    future_rows,
    recheck_remembered,
)
from finance_app.importers.currency import detect_currency
from finance_app.models.imports import SavedMapping
from finance_app.models.ledger import ACCOUNT_TYPES, Account, ImportBatch
from finance_app.models.user import User
from finance_app.money import STORAGE_QUANTUM, fits_currency, precision_rule
from finance_app.services.errors import DomainError, ValidationFailed
from finance_app.services.imports.matching import (
    DUPLICATE,
    MAX_DESCRIPTION,
    NEW,
    REVIEW,
    RowMatch,
    classify_rows,
)
from finance_app.services.imports.storage import read_upload, save_upload
from finance_app.services.scope import Scope, owned, scoped

DRAFT, QUEUED, RUNNING, COMPLETED, FAILED, REVERTED = (
    "draft", "queued", "running", "completed", "failed", "reverted")
PREVIEW_ROWS = 20
# NUMERIC(19, 4) holds up to 10^15; anything near that is a misread column, not a purchase.
MAX_AMOUNT = Decimal("1e14")
REMEMBERED_FORMATS = ("csv", "xlsx")  # OFX and QIF have fixed meanings; nothing to remember
# Key of a draft's stored mapping: the rows read with it (ColumnMapping.from_dict ignores it).
_CHECKED = "checked"


class FileTooLargeError(ImportFileError):
    """This file is larger than the upload limit."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"{size} bytes > {limit}")
        self.limit = limit

    @property
    def message(self) -> str:
        return too_large_message(self.limit)


def too_large_message(limit: int) -> str:
    """The friendly "file too large" text for a limit in bytes."""
    size = f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
    return (f"This file is larger than the {size} upload limit. "
            "Export a shorter date range from your bank and upload that.")


class NoReadableRowsError(ImportFileError):
    """None of the rows of this file could be read as transactions. Check that it is the
    transactions export of your bank (not a statement summary) and try again."""


class ImportAlreadyStarted(DomainError):
    """This import has already been started."""


class NothingToImport(ValidationFailed):
    """None of the rows can be read with these column choices; please check the date and
    amount columns."""


class SignNotConfirmed(ValidationFailed):
    """Please confirm which sign means money out (the box above the preview) before importing:
    this file does not agree with the choices remembered for its layout."""


@dataclass(slots=True)
class NewAccount:
    """An account to create for the import (reused if the user already has one by that name)."""

    name: str
    type: str = "checking"


@dataclass(slots=True)
class ImportPreview:
    """A file read with a mapping and sorted against the account, before anything is written."""

    table: RawTable
    mapping: ColumnMapping
    result: ParseResult
    decisions: list[RowMatch]
    remembered: bool = False
    account_currency: str | None = None
    account_name: str = ""
    counts: Counter[str] = field(default_factory=Counter)
    #: Set when no date of the file tells day/month from month/day.
    date_ambiguity: DateAmbiguity | None = None
    #: Row numbers of rows dated more than a week ahead.
    future_rows: list[int] = field(default_factory=list)

    @property
    def number_format(self) -> str:
        """How the amounts are read: "1,234.56" or "1.234,56"."""
        return number_format(self.mapping.decimal_separator)

    @property
    def awaits_sign_confirmation(self) -> bool:
        return self.mapping.awaits_sign_confirmation

    @property
    def sample(self) -> list[tuple[object, RowMatch]]:
        """The first rows as they will be stored, with what will happen to each."""
        return list(zip(self.result.rows[:PREVIEW_ROWS], self.decisions[:PREVIEW_ROWS],
                        strict=True))

    @property
    def new_count(self) -> int:
        return self.counts[NEW]

    @property
    def duplicate_count(self) -> int:
        return self.counts[DUPLICATE]

    @property
    def review_count(self) -> int:
        return self.counts[REVIEW]

    @property
    def error_count(self) -> int:
        return len(self.result.errors)

    @property
    def total_rows(self) -> int:
        return len(self.result.rows) + len(self.result.errors)

    @property
    def file_currencies(self) -> list[str]:
        return sorted({r.currency for r in self.result.rows if r.currency})

    @property
    def currency_warning(self) -> str | None:
        others = [c for c in self.file_currencies if c != self.account_currency]
        if self.account_currency and others:
            return (f"This file's amounts are in {', '.join(others)} but the account is in "
                    f"{self.account_currency}; they will be stored as they are, unconverted.")
        return None


def get_saved_mapping(session: DbSession, scope: Scope, signature: str) -> SavedMapping | None:
    return session.scalars(
        scoped(SavedMapping, scope).where(SavedMapping.header_signature == signature)
    ).first()


def remember_mapping(
    session: DbSession, scope: Scope, table: RawTable, mapping: ColumnMapping
) -> None:
    """Store the mapping for this header layout, so the next such file maps itself."""
    if table.format not in REMEMBERED_FORMATS:
        return
    saved = get_saved_mapping(session, scope, table.signature)
    if saved is None:
        saved = SavedMapping(household_id=scope.household_id, header_signature=table.signature,
            use_count=0)
        session.add(saved)
    data = mapping.to_dict()
    data["sign_to_confirm"], data["sign_confirmed"] = "", False  # settled for this file only
    data["confidence"] = 1.0  # the user has seen and confirmed it
    data["explanation"] = ["Column choices you confirmed for files with this header"]
    saved.mapping = data
    saved.columns = list(table.header or table.columns)
    saved.use_count = (saved.use_count or 0) + 1


def screen_rows(result: ParseResult, currency: str | None = None) -> ParseResult:
    """Rows the ledger cannot hold become row errors; amounts are kept to storage precision.

    With the account's `currency`, an amount finer than its minor unit (0.005 USD, 1234.5 JPY)
    is a row error too: rounding it would store an amount the file does not say.
    """
    kept = []
    for row in result.rows:
        if abs(row.amount) >= MAX_AMOUNT:
            result.errors.append(RowError(row.row_number, f"The amount {row.amount} is too large.",
                                          row.raw))
            continue
        if currency and not fits_currency(row.amount, currency):
            result.errors.append(RowError(
                row.row_number, f"The amount {row.amount} is more precise than the account's "
                f"currency allows: {precision_rule(currency)}.", row.raw))
            continue
        row.amount = row.amount.quantize(STORAGE_QUANTUM)
        if len(row.description) > MAX_DESCRIPTION:
            row.description = row.description[: MAX_DESCRIPTION - 1] + "…"
        kept.append(row)
    if len(kept) != len(result.rows):
        result.rows = kept
        result.errors.sort(key=lambda e: e.row_number)
    return result


def preview_table(
    session: DbSession,
    scope: Scope,
    table: RawTable,
    account_id: int | None,
    mapping: ColumnMapping | None = None,
    today: dt.date | None = None,
) -> ImportPreview:
    """Read `table` with `mapping` (else the one remembered for its header, re-checked against
    this file, else a detected one) and sort its rows against the account. Writes nothing."""
    account = owned(session, Account, account_id, scope) if account_id is not None else None
    remembered = False
    result: ParseResult | None = None
    if mapping is None and table.format in REMEMBERED_FORMATS:
        saved = get_saved_mapping(session, scope, table.signature)
        if saved is not None:
            try:
                # Another bank's export can share the header: the saved choices are checked
                # against this file's values and the account's kind before they are used.
                candidate = recheck_remembered(table, ColumnMapping.from_dict(saved.mapping),
                                               account.is_liability if account else None)
                result = apply_mapping(table, candidate)
            except (MappingMismatchError, TypeError):
                result = None  # the layout changed after all: detect afresh
            else:
                mapping, remembered = candidate, True
    if mapping is None or result is None:
        mapping = mapping if mapping is not None else detect_mapping(table)
        result = apply_mapping(table, mapping)
    result = screen_rows(result, account.currency if account else None)
    decisions = classify_rows(session, account.id if account else None, result.rows)
    return ImportPreview(
        table=table, mapping=mapping, result=result, decisions=decisions, remembered=remembered,
        account_currency=account.currency if account else None,
        account_name=account.name if account else "",
        counts=Counter(d.kind for d in decisions),
        date_ambiguity=date_ambiguity(table, mapping),
        future_rows=future_rows(result.rows, today),
    )


def preview_import(
    session: DbSession,
    scope: Scope,
    data: bytes,
    filename: str,
    account_id: int | None,
    mapping: ColumnMapping | None = None,
    today: dt.date | None = None,
) -> ImportPreview:
    """`preview_table` of the file's bytes. Raises an ImportFileError for a file that cannot be
    imported at all (not a table, no date or amount column...)."""
    return preview_table(session, scope, read_table(data, filename), account_id, mapping, today)


def get_or_create_account(session: DbSession, scope: Scope, new: NewAccount,
                          currency: str | None = None) -> tuple[Account, bool]:
    """The user's account called `new.name` (and False), or a new one in `currency` (and True)."""
    name = " ".join(new.name.split())[:120]
    if not name:
        raise ValidationFailed("Give the new account a name.")
    account = session.scalars(scoped(Account, scope).where(Account.name == name)).first()
    if account is not None:
        return account, False
    user = session.get(User, scope.member_id) if scope.member_id else None
    account = Account(
        household_id=scope.household_id, owner_id=scope.member_id, name=name,
        type=new.type if new.type in ACCOUNT_TYPES else "checking",
        currency=currency or (user.base_currency if user else "USD"),
    )
    session.add(account)
    session.flush()
    return account, True


class CurrencyNotStated(ValidationFailed):
    """This file does not say which currency it is in; choose the new account's currency."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"This file does not say which currency it is in ({reason}): "
                         "choose the new account's currency.")


def new_account_currency(session: DbSession, scope: Scope, preview: ImportPreview,
                         chosen: str | None) -> str:
    """The currency of an account the import creates: the one the member chose, else the
    one the file states; CurrencyNotStated when the file leaves it open."""
    if chosen:
        return chosen
    user = session.get(User, scope.member_id) if scope.member_id else None
    guess = detect_currency(preview.table, preview.mapping,
                            (r.currency or "" for r in preview.result.rows),
                            user.base_currency if user else "USD")
    if guess.code is None:
        raise CurrencyNotStated(guess.reason)
    return guess.code


def stage_upload(
    session: DbSession,
    scope: Scope,
    data: bytes,
    filename: str,
    *,
    upload_dir: str,
    max_bytes: int,
    account_id: int | None = None,
    new_account: NewAccount | None = None,
    new_account_currency_code: str | None = None,
) -> tuple[ImportBatch, ImportPreview]:
    """Check the file, keep it under UPLOAD_DIR and create a draft batch for the wizard.

    A file that cannot be imported raises an ImportFileError before anything is written (no
    file kept, no account created).
    """
    if len(data) > max_bytes:
        raise FileTooLargeError(len(data), max_bytes)
    if account_id is None and new_account is None:
        raise ValidationFailed("Choose the account these transactions belong to.")
    filename = (filename or "upload").replace("\\", "/").rsplit("/", 1)[-1][:255] or "upload"
    preview = preview_import(session, scope, data, filename, account_id)
    if not preview.result.rows:
        raise NoReadableRowsError(f"{len(preview.result.errors)} row errors, no rows")
    if account_id is None:
        assert new_account is not None
        existing = session.scalars(scoped(Account, scope).where(
            Account.name == " ".join(new_account.name.split())[:120])).first()
        currency = existing.currency if existing is not None else new_account_currency(
            session, scope, preview, new_account_currency_code)
        account, created = get_or_create_account(session, scope, new_account, currency)
        if not created:
            # An existing account of that name: sort the rows against it after all.
            preview = preview_import(session, scope, data, filename, account.id,
                                     preview.mapping)
        account_id = account.id
    key = save_upload(upload_dir, data)
    batch = ImportBatch(
        household_id=scope.household_id, created_by_id=scope.member_id,
        account_id=account_id, filename=filename,
        file_format=preview.table.format, status=DRAFT, mapping=_checked_mapping(preview),
        upload_key=key, file_size=len(data), total_rows=preview.total_rows,
    )
    session.add(batch)
    session.flush()
    return batch, preview


def get_draft(session: DbSession, scope: Scope, batch_id: int) -> ImportBatch:
    batch = owned(session, ImportBatch, batch_id, scope)
    if batch.status != DRAFT:
        raise ImportAlreadyStarted()
    return batch


def open_draft(
    session: DbSession, scope: Scope, batch_id: int, upload_dir: str
) -> tuple[ImportBatch, RawTable]:
    """The draft batch and its upload read as a table (ImportAlreadyStarted once it ran)."""
    batch = get_draft(session, scope, batch_id)
    return batch, read_table(read_upload(upload_dir, batch.upload_key), batch.filename)


def column_samples(table: RawTable) -> list[str]:
    """A first non-empty value of each column, to label the column choices."""
    samples = []
    for index in range(len(table.columns)):
        values = (row[index] for row in table.rows[:50] if index < len(row) and row[index])
        samples.append(next(values, ""))
    return samples


def _checked_mapping(preview: ImportPreview) -> dict:
    """The preview's mapping as stored on the batch, with what reading the whole file with it
    gave: the file never changes, so confirming that same mapping need not read it again."""
    data = preview.mapping.to_dict()
    data[_CHECKED] = {"rows": len(preview.result.rows), "total": preview.total_rows}
    return data


def _same_choices(a: ColumnMapping, b: ColumnMapping) -> bool:
    left, right = a.to_dict(), b.to_dict()
    for data in (left, right):
        data.pop("confidence"), data.pop("explanation")
    return left == right


def set_draft_mapping(batch: ImportBatch, preview: ImportPreview) -> None:
    """Keep the mapping last previewed, so a reload shows it again (and confirming it is quick)."""
    if batch.status == DRAFT:
        batch.mapping = _checked_mapping(preview)


def confirm_import(
    session: DbSession,
    scope: Scope,
    batch_id: int,
    upload_dir: str,
    mapping: ColumnMapping,
    table: RawTable | None = None,
) -> ImportBatch:
    """Fix the mapping (and remember it for this header layout); the batch is ready to run.

    `table` is the draft's upload already read (open_draft), if the caller has it.
    """
    batch = get_draft(session, scope, batch_id)
    # The draft's own record decides, whatever the caller's mapping carries.
    if ((batch.mapping or {}).get("sign_to_confirm") or mapping.sign_to_confirm) and \
            not mapping.sign_confirmed:
        raise SignNotConfirmed()
    if table is None:
        table = read_table(read_upload(upload_dir, batch.upload_key), batch.filename)
    checked = (batch.mapping or {}).get(_CHECKED)
    if checked and _same_choices(ColumnMapping.from_dict(batch.mapping), mapping):
        # Previewed with exactly these choices: the whole file was read with them then.
        rows, total = int(checked["rows"]), int(checked["total"])
    else:
        # Rows are sorted against the account by the job itself; here they only need to be
        # readable.
        account = owned(session, Account, batch.account_id, scope)
        result = screen_rows(apply_mapping(table, mapping), account.currency)
        rows, total = len(result.rows), len(result.rows) + len(result.errors)
        del result
    if not rows:
        raise NothingToImport()
    remember_mapping(session, scope, table, mapping)
    batch.mapping = mapping.to_dict()
    batch.total_rows = total
    batch.status = QUEUED
    session.flush()
    return batch


def list_import_accounts(session: DbSession, scope: Scope) -> list[Account]:
    """Accounts a file can be imported into: the user's open ones, by name."""
    return list(session.scalars(
        scoped(Account, scope).where(Account.is_archived.is_(False)).order_by(Account.name)))
