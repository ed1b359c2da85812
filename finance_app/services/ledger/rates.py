"""Exchange rates: the user's rate table, a provider interface, and exact currency conversion.

A rate row says how many units of `quote` one unit of `base` buys on `date`. Conversion uses the
latest rate on or before the day asked for; when only the opposite pair was recorded
(USD->EUR when EUR->USD is wanted) its inverse is used. With no such rate a conversion does not
guess: it raises (or reports) `MissingRate`, whose message the pages show.

For reports that convert many amounts, use `convert_many` (or a `Converter`): it loads each
currency pair's rates once with one query, then finds each day's rate by bisection. E.g.

    converter = Converter(TableRateProvider(session, scope), "USD")
    totals = converter.convert_many([(Decimal("12.50"), "EUR", date(2024, 3, 1)), ...])
    totals.amounts   # list of Decimal | None, in input order (None = no rate)
    totals.missing   # MissingRate per pair, with the earliest day that had no rate
"""

from __future__ import annotations

import csv
import io
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Protocol

from sqlalchemy import and_, func, or_, select

from finance_app.db import DbSession
from finance_app.models.ledger import ExchangeRate
from finance_app.money import STORAGE_QUANTUM, quantize
from finance_app.services.errors import DomainError, ValidationFailed
from finance_app.services.scope import Scope, owned, scope_filter, scoped

RATE_QUANTUM = Decimal("0.0000000001")  # the column keeps ten decimal places


class MissingRate(DomainError):
    """No exchange rate is available for this conversion."""

    def __init__(self, from_ccy: str, to_ccy: str, on_date: date) -> None:
        self.from_ccy, self.to_ccy, self.on_date = from_ccy, to_ccy, on_date
        super().__init__(f"no {from_ccy}->{to_ccy} rate on or before {on_date.isoformat()}")


class RateFileError(ValidationFailed):
    """The rate file could not be read."""


@dataclass(frozen=True)
class Rate:
    """The rate used for a day: its value and the day it was recorded for."""

    value: Decimal
    on: date
    inverted: bool = False


@dataclass(frozen=True)
class Conversion:
    amount: Decimal
    from_ccy: str
    to_ccy: str
    converted: Decimal
    rate: Decimal
    rate_date: date | None


class RateProvider(Protocol):
    """Where rates come from: the user's table today; a live source could be added later."""

    def rates_for(self, dates: Iterable[date], base: str, quote: str) -> dict[date, Rate | None]:
        """For each day, the base->quote rate to use (latest on or before it), or None."""
        ...


def normalize_code(code: str) -> str:
    code = (code or "").strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise ValidationFailed(f"{code or 'an empty value'!r} is not a three-letter currency code.")
    return code


class TableRateProvider:
    """Rates from the user's exchange_rates table: one query per currency pair, then bisection."""

    def __init__(self, session: DbSession, scope: Scope) -> None:
        self.session, self.scope = session, scope
        self._series: dict[tuple[str, str], tuple[list[date], list[Decimal]]] = {}

    def _load(self, base: str, quote: str) -> tuple[list[date], list[Decimal]]:
        key = (base, quote)
        if key not in self._series:
            rows = self.session.execute(
                select(ExchangeRate.date, ExchangeRate.rate)
                .where(scope_filter(ExchangeRate, self.scope), ExchangeRate.base == base,
                       ExchangeRate.quote == quote)
                .order_by(ExchangeRate.date)
            ).all()
            self._series[key] = ([r[0] for r in rows], [Decimal(r[1]) for r in rows])
        return self._series[key]

    def rates_for(self, dates: Iterable[date], base: str, quote: str) -> dict[date, Rate | None]:
        direct_days, direct = self._load(base, quote)
        inverse_days, inverse = self._load(quote, base)
        found: dict[date, Rate | None] = {}
        for day in dates:
            i = bisect_right(direct_days, day)
            if i:
                found[day] = Rate(direct[i - 1], direct_days[i - 1])
                continue
            j = bisect_right(inverse_days, day)
            found[day] = (
                Rate(Decimal(1) / inverse[j - 1], inverse_days[j - 1], inverted=True) if j else None
            )
        return found


@dataclass
class BatchConversion:
    amounts: list[Decimal | None]
    missing: list[MissingRate] = field(default_factory=list)


class Converter:
    """Converts many (amount, currency, day) rows into one currency, one rate lookup per pair."""

    def __init__(self, provider: RateProvider, to_ccy: str) -> None:
        self.provider, self.to_ccy = provider, to_ccy

    def convert_many(self, rows: Sequence[tuple[Decimal, str, date]]) -> BatchConversion:
        days_by_ccy: dict[str, set[date]] = {}
        for _amount, ccy, day in rows:
            if ccy != self.to_ccy:
                days_by_ccy.setdefault(ccy, set()).add(day)
        rates = {
            ccy: self.provider.rates_for(sorted(days), ccy, self.to_ccy)
            for ccy, days in days_by_ccy.items()
        }
        result = BatchConversion(amounts=[])
        first_missing: dict[str, date] = {}
        for amount, ccy, day in rows:
            if ccy == self.to_ccy:
                result.amounts.append(amount)
                continue
            rate = rates[ccy][day]
            if rate is None:
                result.amounts.append(None)
                first_missing[ccy] = min(day, first_missing.get(ccy, day))
            else:
                result.amounts.append(quantize(amount * rate.value, STORAGE_QUANTUM))
        result.missing = [MissingRate(c, self.to_ccy, d) for c, d in sorted(first_missing.items())]
        return result


def convert_many(
    session: DbSession, scope: Scope, rows: Sequence[tuple[Decimal, str, date]], to_ccy: str
) -> BatchConversion:
    """Convert (amount, currency, day) rows into `to_ccy` with the user's rates; see the module."""
    return Converter(TableRateProvider(session, scope), to_ccy).convert_many(rows)


def convert(
    session: DbSession, scope: Scope, amount: Decimal, from_ccy: str, to_ccy: str, on_date: date,
    provider: RateProvider | None = None,
) -> Conversion:
    """`amount` of `from_ccy` in `to_ccy` on `on_date`, or raise MissingRate."""
    if from_ccy == to_ccy:
        return Conversion(amount, from_ccy, to_ccy, amount, Decimal(1), None)
    provider = provider or TableRateProvider(session, scope)
    rate = provider.rates_for([on_date], from_ccy, to_ccy)[on_date]
    if rate is None:
        raise MissingRate(from_ccy, to_ccy, on_date)
    converted = quantize(amount * rate.value, STORAGE_QUANTUM)
    return Conversion(amount, from_ccy, to_ccy, converted, rate.value, rate.on)


# ------------------------------------------------------------------ the rate table


def list_rates(session: DbSession, scope: Scope, limit: int = 200) -> list[ExchangeRate]:
    return list(session.scalars(
        scoped(ExchangeRate, scope)
        .order_by(ExchangeRate.date.desc(), ExchangeRate.base, ExchangeRate.quote)
        .limit(limit)
    ))


def count_rates(session: DbSession, scope: Scope) -> int:
    return int(session.scalar(
        select(func.count()).select_from(ExchangeRate).where(scope_filter(ExchangeRate, scope))
    ) or 0)


def _check_rate(rate: Decimal) -> Decimal:
    if not rate.is_finite() or rate <= 0:
        raise ValidationFailed("A rate must be a positive number.")
    if rate.adjusted() > 8:
        raise ValidationFailed("That rate is too large.")
    return rate.quantize(RATE_QUANTUM)


def set_rate(
    session: DbSession, scope: Scope, on_date: date, base: str, quote: str, rate: Decimal,
    source: str = "manual",
) -> ExchangeRate:
    """Record (or replace) the base->quote rate for a day."""
    base, quote = normalize_code(base), normalize_code(quote)
    if base == quote:
        raise ValidationFailed("Pick two different currencies.")
    rate = _check_rate(rate)
    row = session.scalars(
        scoped(ExchangeRate, scope).where(
            ExchangeRate.base == base, ExchangeRate.quote == quote, ExchangeRate.date == on_date
        )
    ).first()
    if row is None:
        row = ExchangeRate(household_id=scope.household_id, date=on_date, base=base, quote=quote)
        session.add(row)
    row.rate, row.source = rate, source
    session.flush()
    return row


def delete_rate(session: DbSession, scope: Scope, rate_id: int) -> None:
    session.delete(owned(session, ExchangeRate, rate_id, scope))
    session.flush()


@dataclass(frozen=True)
class RateImport:
    created: int
    updated: int


REQUIRED_COLUMNS = ("date", "from", "to", "rate")


def _parse_rate_rows(text: str) -> list[tuple[date, str, str, Decimal]]:
    reader = csv.DictReader(io.StringIO(text))
    headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in headers]
    if missing:
        raise RateFileError(
            f"The file needs the columns date, from, to, rate (missing: {', '.join(missing)})."
        )
    reader.fieldnames = headers
    parsed: dict[tuple[date, str, str], tuple[date, str, str, Decimal]] = {}
    for number, raw in enumerate(reader, start=2):  # row 1 is the header
        if not any((v or "").strip() for v in raw.values() if isinstance(v, str)):
            continue
        try:
            day = date.fromisoformat((raw["date"] or "").strip())
            base, quote = normalize_code(raw["from"] or ""), normalize_code(raw["to"] or "")
            if base == quote:
                raise ValidationFailed("from and to are the same currency.")
            rate = _check_rate(Decimal((raw["rate"] or "").strip()))
        except (ValueError, InvalidOperation, ValidationFailed) as exc:
            detail = exc.message if isinstance(exc, DomainError) else "check the date (YYYY-MM-DD)"
            if isinstance(exc, InvalidOperation):
                detail = f"{(raw['rate'] or '').strip()!r} is not a number"
            raise RateFileError(f"Row {number}: {detail}. Nothing was imported.") from exc
        parsed[(day, base, quote)] = (day, base, quote, rate)  # a later duplicate row wins
    if not parsed:
        raise RateFileError("The file has no rates in it.")
    return list(parsed.values())


def import_rates_csv(session: DbSession, scope: Scope, data: bytes | str) -> RateImport:
    """Upsert rates from CSV (columns date,from,to,rate). All rows or none: a bad row raises."""
    text = data.decode("utf-8-sig", errors="replace") if isinstance(data, bytes) else data
    rows = _parse_rate_rows(text)
    existing = {
        (r.date, r.base, r.quote): r for r in session.scalars(
            scoped(ExchangeRate, scope).where(
                ExchangeRate.base.in_({r[1] for r in rows}),
                ExchangeRate.quote.in_({r[2] for r in rows}),
            )
        )
    }
    created = updated = 0
    for day, base, quote, rate in rows:
        row = existing.get((day, base, quote))
        if row is None:
            session.add(ExchangeRate(household_id=scope.household_id, date=day, base=base,
                quote=quote,
                                     rate=rate, source="csv"))
            created += 1
        elif row.rate != rate:
            row.rate, row.source = rate, "csv"
            updated += 1
    session.flush()
    return RateImport(created=created, updated=updated)


# ------------------------------------------------------------------ rate book of a page


class RateBook:
    """Exchange rates of one household into their base currency, loaded once per currency pair."""

    def __init__(self, session: DbSession, scope: Scope, base: str) -> None:
        self.session, self.scope, self.base = session, scope, base
        self._pairs: dict[str, tuple[list[date], list[Decimal]]] = {}
        self.missing: set[str] = set()

    def _load(self, currency: str) -> tuple[list[date], list[Decimal]]:
        if currency not in self._pairs:
            rows = self.session.execute(
                select(ExchangeRate.date, ExchangeRate.base, ExchangeRate.rate)
                .where(
                    scope_filter(ExchangeRate, self.scope),
                    or_(and_(ExchangeRate.base == currency, ExchangeRate.quote == self.base),
                        and_(ExchangeRate.base == self.base, ExchangeRate.quote == currency)),
                )
                .order_by(ExchangeRate.date, ExchangeRate.base != currency)
            ).all()
            by_day: dict[date, Decimal] = {}
            for day, rate_base, rate in rows:
                rate = Decimal(rate)
                if rate == 0:
                    continue
                # Prefer the direct quote when both directions exist for a day.
                by_day.setdefault(day, rate if rate_base == currency else 1 / rate)
            days = sorted(by_day)
            self._pairs[currency] = (days, [by_day[d] for d in days])
        return self._pairs[currency]

    def rate(self, currency: str, day: date) -> Decimal | None:
        """Units of the base currency one unit of `currency` bought on `day` (or just before);
        None, with the currency recorded as missing, when no rate is known on or before it."""
        if currency == self.base:
            return Decimal(1)
        days, rates = self._load(currency)
        index = bisect_right(days, day) - 1
        if index < 0:
            # The one rule (services/ledger/rates.py): the latest rate on or before the day;
            # before the first recorded rate there is none, and the amount is reported missing.
            self.missing.add(currency)
            return None
        return rates[index]

    def convert(self, amount: Decimal, currency: str, day: date | None) -> Decimal | None:
        if currency == self.base:
            return amount
        rate = self.rate(currency, day or date.today())
        return None if rate is None else quantize(amount * rate, STORAGE_QUANTUM)
