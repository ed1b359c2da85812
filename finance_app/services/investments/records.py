"""Investment rows through the Scope: investment accounts, securities, trades, prices, and the
lot method of an account. The API a trades file, a hand entry and the Plaid sync all record
through: `ensure_security`, `record_trades`, `record_prices`.

Recording is idempotent: a trade with an `external_id` (Plaid's investment_transaction_id) or a
`fingerprint` (a file row) already in the account is skipped; a price is one per security and
day (a later one replaces it). A batch of trades that would sell more shares than are held is
refused as a whole (`TradeRefused`, naming the row), before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from finance_app.db import DbSession
from finance_app.models.investment import (
    FIFO,
    LOT_METHODS,
    SECURITY_KINDS,
    SELL,
    SOURCE_FILE,
    SOURCE_HAND,
    SPECIFIC,
    InvestmentSettings,
    Security,
    SecurityPrice,
    Trade,
)
from finance_app.models.ledger import Account
from finance_app.money import ZERO
from finance_app.services.errors import NotFound, ValidationFailed
from finance_app.services.investments.lots import LotError, TradeEvent, build_lots
from finance_app.services.investments.prices import PriceBook
from finance_app.services.scope import Scope, owned, scope_filter, scoped

INVESTMENT = "investment"


class TradeRefused(ValidationFailed):
    """These trades cannot be recorded."""

    def __init__(self, message: str, row: object = None) -> None:
        super().__init__(message)
        self.row = row


class UnknownLotMethod(ValidationFailed):
    """Choose FIFO, LIFO, HIFO, average cost or specific lots."""


# ---------------------------------------------------------------- accounts


def list_investment_accounts(session: DbSession, scope: Scope) -> list[Account]:
    return list(session.scalars(scoped(Account, scope).where(Account.type == INVESTMENT)
                                .order_by(Account.is_archived, Account.name)))


def get_investment_account(session: DbSession, scope: Scope, account_id: int) -> Account:
    account = owned(session, Account, account_id, scope)
    if account.type != INVESTMENT:
        raise NotFound()
    return account


def find_investment_account(session: DbSession, scope: Scope, name: str) -> Account | None:
    return session.scalars(scoped(Account, scope).where(
        Account.type == INVESTMENT, Account.name == name)).first()


def lot_methods(session: DbSession, scope: Scope) -> dict[int, str]:
    """account id -> its lot method, for the accounts that set one (FIFO otherwise)."""
    return {s.account_id: s.lot_method for s in session.scalars(
        scoped(InvestmentSettings, scope))}


def lot_method_of(session: DbSession, scope: Scope, account_id: int) -> str:
    return lot_methods(session, scope).get(account_id, FIFO)


def set_lot_method(session: DbSession, scope: Scope, account_id: int, method: str) -> None:
    if method not in LOT_METHODS:
        raise UnknownLotMethod()
    account = get_investment_account(session, scope, account_id)
    settings = session.scalars(scoped(InvestmentSettings, scope).where(
        InvestmentSettings.account_id == account.id)).first()
    if settings is None:
        settings = InvestmentSettings(household_id=scope.household_id, account_id=account.id)
        session.add(settings)
    settings.lot_method = method
    session.flush()


# ---------------------------------------------------------------- securities


def list_securities(session: DbSession, scope: Scope) -> list[Security]:
    return list(session.scalars(scoped(Security, scope).order_by(Security.symbol)))


def get_security(session: DbSession, scope: Scope, security_id: int) -> Security:
    return owned(session, Security, security_id, scope)


def ensure_security(session: DbSession, scope: Scope, symbol: str, *, name: str = "",
                    kind: str | None = None, currency: str | None = None,
                    external_id: str | None = None) -> Security:
    """The household's security of this symbol, created when new; a name, kind or provider id
    given fills in what it lacks (a synced name does not overwrite one typed by hand)."""
    symbol = symbol.strip().upper()
    security = session.scalars(scoped(Security, scope).where(Security.symbol == symbol)).first()
    if security is None:
        security = Security(household_id=scope.household_id, symbol=symbol, name=name or symbol,
                            kind=kind if kind in SECURITY_KINDS else "stock",
                            currency=currency or "USD", external_id=external_id)
        session.add(security)
        session.flush()
        return security
    if name and security.name in ("", security.symbol):
        security.name = name
    if kind in SECURITY_KINDS and kind != security.kind and security.kind == "stock":
        security.kind = kind
    if external_id and not security.external_id:
        security.external_id = external_id
    return security


class UnknownKind(ValidationFailed):
    """Choose a stock, ETF, mutual fund, bond, crypto or cash."""


def update_security(session: DbSession, scope: Scope, security_id: int, *, name: str,
                    kind: str) -> Security:
    """A member's name and kind for a security (what allocation by kind reads)."""
    if kind not in SECURITY_KINDS:
        raise UnknownKind()
    security = get_security(session, scope, security_id)
    security.name = name.strip()[:120] or security.symbol
    security.kind = kind
    session.flush()
    return security


# ---------------------------------------------------------------- trades


@dataclass(frozen=True)
class TradeInput:
    """A trade to record. `ref` names it in errors (a file's row number)."""

    day: date
    symbol: str
    action: str
    quantity: Decimal
    price: Decimal = ZERO
    fees: Decimal = ZERO
    external_id: str | None = None
    fingerprint: str | None = None
    ref: object = None
    chosen_lots: tuple[tuple[int, Decimal], ...] = ()


@dataclass(frozen=True)
class RecordResult:
    added: int
    duplicates: int


def list_trades(session: DbSession, scope: Scope,
                account_ids: Sequence[int] | None = None) -> list[Trade]:
    query = scoped(Trade, scope)
    if account_ids is not None:
        query = query.where(Trade.account_id.in_(account_ids or [0]))
    return list(session.scalars(query.order_by(Trade.day, Trade.id)))


def trade_events(session: DbSession, scope: Scope,
                 account_ids: Sequence[int] | None = None) -> list[TradeEvent]:
    """The household's trades (those this member sees) as the lot engine reads them."""
    symbols = {s.id: s.symbol for s in list_securities(session, scope)}
    return [_event(t.id, t.account_id, symbols[t.security_id], t.day, t.action, t.quantity,
                   t.price, t.fees, t.chosen_lots) for t in list_trades(session, scope,
                                                                        account_ids)]


def _event(ref: object, account_id: int, symbol: str, day: date, action: str,
           quantity: Decimal, price: Decimal, fees: Decimal,
           chosen: Iterable | None) -> TradeEvent:
    lots = tuple((item["lot"], Decimal(str(item["quantity"]))) if isinstance(item, dict)
                 else (item[0], Decimal(str(item[1]))) for item in (chosen or ()))
    return TradeEvent(ref, day, symbol, action, quantity, price, fees, account_id, lots)


def record_trades(session: DbSession, scope: Scope, account: Account,
                  trades: Sequence[TradeInput], *, source: str = SOURCE_FILE) -> RecordResult:
    """Add the trades the account does not have yet; all or nothing (see the module)."""
    account = get_investment_account(session, scope, account.id)
    existing = list_trades(session, scope, [account.id])
    seen_external = {t.external_id for t in existing if t.external_id}
    seen_fingerprints = {t.fingerprint for t in existing if t.fingerprint}
    new = []
    for trade in trades:
        if (trade.external_id and trade.external_id in seen_external) or (
                trade.fingerprint and trade.fingerprint in seen_fingerprints):
            continue
        if trade.external_id:
            seen_external.add(trade.external_id)
        if trade.fingerprint:
            seen_fingerprints.add(trade.fingerprint)
        new.append(trade)
    if new:
        _check_lots(session, scope, account, new)
    for trade in new:
        security = ensure_security(session, scope, trade.symbol, currency=account.currency)
        session.add(Trade(
            household_id=scope.household_id, account_id=account.id, security_id=security.id,
            day=trade.day, action=trade.action, quantity=trade.quantity, price=trade.price,
            fees=trade.fees, source=source, external_id=trade.external_id,
            fingerprint=trade.fingerprint, created_by_id=scope.member_id,
            chosen_lots=[{"lot": lot, "quantity": str(q)} for lot, q in trade.chosen_lots]
            or None,
        ))
    session.flush()
    return RecordResult(len(new), len(trades) - len(new))


def record_trade_by_hand(session: DbSession, scope: Scope, account_id: int,
                         trade: TradeInput) -> None:
    """One trade typed in by a member; a sale may name its lots (accounts set to sell specific
    lots only, so a method chosen for the account is never silently overridden)."""
    account = get_investment_account(session, scope, account_id)
    if trade.chosen_lots and lot_method_of(session, scope, account.id) != SPECIFIC:
        raise TradeRefused("Choosing lots needs the account's lot method set to specific lots; "
                           "leave the lots empty to sell by its method.")
    if trade.chosen_lots and trade.action != SELL:
        raise TradeRefused("Only a sale closes lots.")
    record_trades(session, scope, account, [trade], source=SOURCE_HAND)


def _check_lots(session: DbSession, scope: Scope, account: Account,
                new: Sequence[TradeInput]) -> None:
    """Refuse the batch when the account's trades with it cannot be applied (an oversell)."""
    events = trade_events(session, scope, [account.id])
    events += [_event(("new", index), account.id, t.symbol.strip().upper(), t.day, t.action,
                      t.quantity, t.price, t.fees, t.chosen_lots) for index, t in enumerate(new)]
    try:
        build_lots(events, lot_method_of(session, scope, account.id))
    except LotError as exc:
        row = new[exc.ref[1]].ref if isinstance(exc.ref, tuple) else None
        where = f"Row {row}: " if row is not None else ""
        raise TradeRefused(f"{where}{exc}; nothing was imported.", row) from exc


def get_trade(session: DbSession, scope: Scope, trade_id: int) -> Trade:
    return owned(session, Trade, trade_id, scope)


def delete_trade(session: DbSession, scope: Scope, trade_id: int) -> None:
    """Remove a trade, unless a later sale would then sell shares no longer held."""
    trade = owned(session, Trade, trade_id, scope)
    others = [e for e in trade_events(session, scope, [trade.account_id]) if e.ref != trade.id]
    try:
        build_lots(others, lot_method_of(session, scope, trade.account_id))
    except LotError as exc:
        raise TradeRefused(f"Removing it would leave a later sale without shares: {exc}.") \
            from exc
    session.delete(trade)
    session.flush()


# ---------------------------------------------------------------- prices


@dataclass(frozen=True)
class PriceInput:
    day: date
    symbol: str
    close: Decimal


def record_prices(session: DbSession, scope: Scope, prices: Iterable[PriceInput], *,
                  source: str = SOURCE_FILE) -> RecordResult:
    """Upsert closing prices: one per security and day, a later one replacing it. Returns
    (new rows, rows whose day was already known)."""
    added = updated = 0
    known: dict[int, dict[date, SecurityPrice]] = {}
    for price in prices:
        security = ensure_security(session, scope, price.symbol)
        if security.id not in known:
            known[security.id] = {p.day: p for p in session.scalars(
                scoped(SecurityPrice, scope).where(SecurityPrice.security_id == security.id))}
        row = known[security.id].get(price.day)
        if row is None:
            row = SecurityPrice(household_id=scope.household_id, security_id=security.id,
                                day=price.day, close=price.close, source=source)
            session.add(row)
            known[security.id][price.day] = row
            added += 1
        else:
            row.close, row.source = price.close, source
            updated += 1
    session.flush()
    return RecordResult(added, updated)


def price_book(session: DbSession, scope: Scope) -> PriceBook:
    rows = session.execute(
        select(Security.symbol, SecurityPrice.day, SecurityPrice.close)
        .join(Security, Security.id == SecurityPrice.security_id)
        .where(scope_filter(SecurityPrice, scope)))
    return PriceBook((str(s), d, Decimal(c)) for s, d, c in rows)
