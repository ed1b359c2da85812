"""A realistic, deterministic household ledger for demos, tests and benchmarks, bulk-inserted.

`generate_ledger` gives one user five accounts (checking, savings, credit card, a EUR account and
a car loan) and `target_transactions` rows over `years`: paychecks, rent then a mortgage, bills,
subscriptions, everyday purchases with real-looking bank strings, trips abroad paid in euros,
refunds, and transfers (card payments, savings, loan payments, top-ups of the EUR account) stored
as linked pairs. Income is sized from the generated spending so balances stay plausible.
Rows go in with multi-row INSERT ... RETURNING, so 30,000 load in a few seconds.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal
from typing import Any

from sqlalchemy import insert, select, update

from finance_app.db import DbSession
from finance_app.models.ledger import (
    SOURCE_MANUAL,
    Account,
    Category,
    ExchangeRate,
    Tag,
    Transaction,
    transaction_tags,
)
from finance_app.models.user import User
from finance_app.services.categories import create_default_categories
from finance_app.services.demo import sample_catalogue as cat
from finance_app.services.households.membership import member_scope
from finance_app.services.scope import Scope, scope_filter, scoped

CENT = Decimal("0.01")
CHUNK = 2000


@dataclass(eq=False)
class Row:
    account: str
    day: date
    amount: Decimal
    raw: str
    merchant: str
    category: str
    notes: str = ""
    tags: tuple[str, ...] = ()
    pending: bool = False
    excluded: bool = False
    peer: Row | None = None
    id: int | None = None


@dataclass
class GeneratedLedger:
    accounts: dict[str, int]
    transactions: int
    transfers: int
    rates: int
    start: date
    end: date
    categories: dict[str, int] = field(default_factory=dict)


ACCOUNT_SPECS = {
    # key: (name, type, institution, currency, opening balance, colour, icon, group)
    "checking": ("Everyday Checking", "checking", "Chase", "USD", "4200.00", "#2563eb",
                 "bank", "Cash"),
    "savings": ("High-Yield Savings", "savings", "Ally Bank", "USD", "12500.00", "#16a34a",
                "piggy-bank", "Cash"),
    "card": ("Sapphire Card", "credit_card", "Chase", "USD", "0.00", "#7c3aed",
             "credit-card", "Credit"),
    "eur": ("Euro Account", "checking", "Wise", "EUR", "600.00", "#0891b2", "currency-euro",
            "Cash"),
    "loan": ("Car Loan", "loan", "Toyota Financial", "USD", "-18500.00", "#dc2626",
             "car-front", "Loans"),
}  # fmt: skip


class _Gen:
    """The generator's state; one instance per call."""

    def __init__(self, rng: random.Random, start: date, end: date) -> None:
        self.rng, self.start, self.end = rng, start, end
        self.rows: list[Row] = []
        self.transfers = 0

    def cents(self, low: int, high: int) -> Decimal:
        return Decimal(self.rng.randint(low, high)) * CENT

    def raw(self, template: str) -> str:
        code = "".join(self.rng.choice("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(6))
        return template.format(n=self.rng.randint(100, 99999), code=code)

    def add(self, account: str, day: date, amount: Decimal, merchant: cat.Merchant,
            **kw: Any) -> Row:
        row = Row(account, day, amount, self.raw(merchant.raw), merchant.name,
                  merchant.category, **kw)
        self.rows.append(row)
        return row

    def transfer(self, day: date, out_acct: str, in_acct: str, out_amt: Decimal,
                 in_amt: Decimal, raw_out: str, raw_in: str, category: str = "Transfer") -> None:
        a = Row(out_acct, day, -out_amt, raw_out, "Transfer", category)
        b = Row(in_acct, day, in_amt, raw_in, "Transfer", category)
        a.peer, b.peer = b, a
        self.rows += [a, b]
        self.transfers += 1

    def months(self) -> list[date]:
        first, result = self.start.replace(day=1), []
        while first <= self.end:
            result.append(first)
            first = (first + timedelta(days=32)).replace(day=1)
        return result

    def on(self, month: date, day: int) -> date | None:
        """`day` of `month` clamped to the month, or None when outside the generated period."""
        next_month = (month + timedelta(days=32)).replace(day=1)
        when = min(month.replace(day=1) + timedelta(days=day - 1), next_month - timedelta(days=1))
        return when if self.start <= when <= self.end else None


def _weighted(options: tuple[tuple[cat.Merchant, int], ...]) -> tuple[list, list[int]]:
    return [m for m, _ in options], [w for _, w in options]


def _eur_rates(gen: _Gen) -> dict[date, Decimal]:
    """A monthly EUR->USD rate doing a gentle random walk around 1.09."""
    rate, rates = Decimal("1.0850"), {}
    for month in gen.months():
        rate = (rate + Decimal(gen.rng.randint(-150, 150)) / 10000).quantize(Decimal("0.0001"))
        rate = min(max(rate, Decimal("0.9800")), Decimal("1.2200"))
        rates[month] = rate
    return rates


def _fixed(gen: _Gen) -> list[tuple[date, date]]:
    """Housing, bills, savings, loan and interest rows; returns the trips (start, end) planned."""
    months = gen.months()
    switch = months[int(len(months) * 0.4)] if len(months) >= 24 else None
    loan_balance = Decimal(ACCOUNT_SPECS["loan"][4])
    for month in months:
        housing = cat.MORTGAGE if switch and month >= switch else cat.RENT
        if (day := gen.on(month, 1)) is not None:
            gen.add("checking", day, -gen.cents(housing.low, housing.high), housing)
        for merchant, dom, account in cat.MONTHLY_BILLS:
            if (day := gen.on(month, dom)) is not None:
                gen.add(account, day, -gen.cents(merchant.low, merchant.high), merchant)
        if (day := gen.on(month, 3)) is not None:
            gen.transfer(day, "checking", "savings", Decimal("600.00"), Decimal("600.00"),
                         "ONLINE TRANSFER TO SAV XXXXX4410", "ONLINE TRANSFER FROM CHK XXXXX2291")
        if (day := gen.on(month, 28)) is not None:
            interest = cat.Merchant("Ally Bank", "INTEREST PAYMENT", "Interest & dividends", 0, 0)
            gen.add("savings", day, gen.cents(900, 4200), interest)
        if loan_balance < 0 and (day := gen.on(month, 15)) is not None:
            charge = (-loan_balance * Decimal("0.0049")).quantize(CENT)
            gen.add("loan", day, -charge, cat.Merchant("Toyota Financial", "INTEREST CHARGE",
                                                       "Fees", 0, 0))
            payment = min(Decimal("465.00"), -loan_balance + charge)
            gen.transfer(day, "checking", "loan", payment, payment,
                         "TOYOTA FINANCIAL PMT PPD", "PAYMENT RECEIVED - THANK YOU")
            loan_balance += payment - charge
    trips = []
    for month in months[2:]:
        if month.month in (3, 7, 10) and gen.rng.random() < 0.8:
            begin = gen.on(month, gen.rng.randint(5, 18))
            if begin is not None and begin + timedelta(days=12) <= gen.end:
                trips.append((begin, begin + timedelta(days=gen.rng.randint(5, 11))))
    for begin, _finish in trips:
        booking_day = begin - timedelta(days=gen.rng.randint(20, 50))
        if booking_day >= gen.start:
            for merchant in cat.TRIP_BOOKINGS:
                gen.add("card", booking_day, -gen.cents(merchant.low, merchant.high), merchant,
                        tags=("vacation",), notes="Summer holiday" if begin.month == 7 else "")
    return trips


def _trip_topups(gen: _Gen, trips: list[tuple[date, date]], rates: dict[date, Decimal]) -> None:
    """Before each trip, convert enough dollars into the EUR account to cover what it spent."""
    for begin, finish in trips:
        spent = -sum(
            (r.amount for r in gen.rows if r.account == "eur" and begin <= r.day <= finish),
            Decimal(0),
        )
        euros = (spent / 100).to_integral_value(rounding=ROUND_CEILING) * 100 + 100
        dollars = (euros * rates[begin.replace(day=1)]).quantize(CENT)
        gen.transfer(begin - timedelta(days=3), "checking", "eur", dollars, euros,
                     "WISE INC TRANSFER WISE.COM", f"Converted {dollars} USD")


def _everyday(gen: _Gen, count: int, trips: list[tuple[date, date]]) -> None:
    """`count` rows of day-to-day spending (and refunds), abroad during trips."""
    home, home_w = _weighted(cat.EVERYDAY)
    away, away_w = _weighted(cat.ABROAD)
    trip_days = {begin + timedelta(days=i): True for begin, finish in trips
                 for i in range((finish - begin).days + 1)}
    span = (gen.end - gen.start).days
    made = 0
    while made < count:
        day = gen.start + timedelta(days=gen.rng.randint(0, span))
        if day in trip_days and gen.rng.random() < 0.75:
            merchant = gen.rng.choices(away, away_w)[0]
            gen.add("eur", day, -gen.cents(merchant.low, merchant.high), merchant,
                    tags=("vacation",))
            made += 1
            continue
        if gen.rng.random() < 0.006:
            gen.add("checking", day, -gen.cents(cat.ATM_FEE.low, cat.ATM_FEE.high), cat.ATM_FEE)
            made += 1
            continue
        merchant = gen.rng.choices(home, home_w)[0]
        account = "card" if gen.rng.random() < 0.72 else "checking"
        amount = gen.cents(merchant.low, merchant.high)
        kw: dict = {}
        if gen.rng.random() < 0.02 and merchant.category in cat.NOTES:
            kw["notes"] = gen.rng.choice(cat.NOTES[merchant.category])
        if merchant.category == "Gifts & donations":
            kw["tags"] = ("gift",)
        elif merchant.category == "Home & garden" and gen.rng.random() < 0.3:
            kw["tags"] = ("home office",)
        elif merchant.category == "Restaurants" and gen.rng.random() < 0.03:
            kw.update(tags=("reimbursable",), excluded=True, notes="Work expense — reimbursable")
        if account == "card" and (gen.end - day).days < 3:
            kw["pending"] = True
        gen.add(account, day, -amount, merchant, **kw)
        made += 1
        refund_day = day + timedelta(days=gen.rng.randint(3, 14))
        if (merchant.category in ("Shopping", "Clothing") and gen.rng.random() < 0.06
                and refund_day <= gen.end and made < count):
            refund = cat.Merchant(merchant.name, f"{merchant.raw} REFUND", merchant.category, 0, 0)
            gen.add(account, refund_day, amount, refund, notes="Refund")
            made += 1


def _card_payments(gen: _Gen) -> None:
    """On the 20th, pay the previous month's card activity in full from checking."""
    owed: dict[date, Decimal] = {}
    for row in gen.rows:
        if row.account == "card" and row.peer is None:
            owed[row.day.replace(day=1)] = owed.get(row.day.replace(day=1), Decimal(0)) + row.amount
    for month in gen.months():
        day = gen.on((month + timedelta(days=32)).replace(day=1), 20)
        if day is not None and owed.get(month, Decimal(0)) < 0:
            amount = -owed[month]
            gen.transfer(day, "checking", "card", amount, amount, "CHASE CREDIT CRD AUTOPAY",
                         "AUTOMATIC PAYMENT - THANK YOU", category="Credit card payment")


def _card_payment_count(gen: _Gen) -> int:
    return sum(
        1 for m in gen.months() if gen.on((m + timedelta(days=32)).replace(day=1), 20) is not None
    )


def _paydays(gen: _Gen) -> list[date]:
    first = gen.start + timedelta(days=(4 - gen.start.weekday()) % 7)  # the first Friday
    return [first + timedelta(days=14 * i) for i in range((gen.end - first).days // 14 + 1)]


def _income(gen: _Gen, paydays: list[date]) -> None:
    """Paychecks sized so that income covers the checking account's outflows, with raises."""
    outflow = -sum(r.amount for r in gen.rows if r.account == "checking" and r.amount < 0)
    weights = [Decimal("1.03") ** ((d - gen.start).days // 365) for d in paydays]
    base = (outflow * Decimal("1.03") / max(sum(weights), Decimal(1))) if paydays else Decimal(0)
    for day, weight in zip(paydays, weights, strict=True):
        for (name, raw), share in zip(cat.EMPLOYERS, (Decimal("0.56"), Decimal("0.44")),
                                      strict=True):
            amount = (base * weight * share).quantize(CENT)
            gen.add("checking", day, amount, cat.Merchant(name, raw, "Salary", 0, 0))
    for year in range(gen.start.year, gen.end.year + 1):
        day = date(year, 4, 22)
        if gen.start <= day <= gen.end:
            refund = cat.Merchant("IRS", "IRS TREAS 310 TAX REF", "Income", 0, 0)
            gen.add("checking", day, gen.cents(40000, 260000), refund)


def _plan_counts(gen: _Gen, target: int, paydays: int, trips: int) -> int:
    """How many everyday rows fill the target once fixed, payroll and payment rows are counted."""
    tax_refunds = sum(
        1 for y in range(gen.start.year, gen.end.year + 1)
        if gen.start <= date(y, 4, 22) <= gen.end
    )
    fixed = len(gen.rows) + paydays * len(cat.EMPLOYERS) + tax_refunds
    return max(0, target - fixed - 2 * (_card_payment_count(gen) + trips))


def _create_accounts(session: DbSession, scope: Scope, start: date) -> dict[str, Account]:
    accounts = {}
    for key, (name, kind, inst, ccy, opening, color, icon, group) in ACCOUNT_SPECS.items():
        account = Account(
            household_id=scope.household_id, owner_id=scope.member_id, name=name, type=kind,
            institution=inst, currency=ccy,
            opening_balance=Decimal(opening), opening_date=start, color=color, icon=icon,
            group_name=group,
        )
        session.add(account)
        accounts[key] = account
    session.flush()
    return accounts


def _insert_rates(session: DbSession, scope: Scope, rates: dict[date, Decimal]) -> int:
    have = set(session.scalars(
        select(ExchangeRate.date).where(scope_filter(ExchangeRate, scope),
                                        ExchangeRate.base == "EUR", ExchangeRate.quote == "USD")
    ))
    rows = [{"household_id": scope.household_id, "date": d, "base": "EUR", "quote": "USD",
        "rate": r,
             "source": "sample"} for d, r in rates.items() if d not in have]
    if rows:
        session.execute(insert(ExchangeRate), rows)
    return len(rows)


def _insert(session: DbSession, scope: Scope, gen: _Gen, accounts: dict[str, Account],
            categories: dict[str, int], tags: dict[str, int]) -> None:
    # ORM-enabled bulk statements (not bare-table Core) so session hooks, such as the ledger
    # version bump that keeps cached figures fresh, see these writes.
    gen.rows.sort(key=lambda r: (r.day, r.account, r.amount))
    statement = insert(Transaction).returning(Transaction.id, sort_by_parameter_order=True)
    for offset in range(0, len(gen.rows), CHUNK):
        chunk = gen.rows[offset : offset + CHUNK]
        params: list[dict[str, Any]] = [{
            "household_id": scope.household_id, "created_by_id": scope.member_id,
            "account_id": accounts[r.account].id, "date": r.day,
            "amount": r.amount, "raw_description": r.raw, "merchant": r.merchant,
            "notes": r.notes, "category_id": categories[r.category], "is_pending": r.pending,
            "is_excluded": r.excluded, "source": SOURCE_MANUAL, "provider_category": "",
            "category_source": "user", "locked_fields": [],
        } for r in chunk]
        ids = session.scalars(statement, params).all()
        for row, new_id in zip(chunk, ids, strict=True):
            row.id = new_id
    peers = [{"id": r.id, "transfer_peer_id": r.peer.id} for r in gen.rows if r.peer is not None]
    if peers:
        session.execute(update(Transaction), peers)  # bulk UPDATE by primary key
    links = [{"transaction_id": r.id, "tag_id": tags[t]} for r in gen.rows for t in r.tags]
    if links:
        session.execute(insert(transaction_tags), links)


def _ensure_tags(session: DbSession, scope: Scope) -> dict[str, int]:
    existing = {t.name: t for t in session.scalars(scoped(Tag, scope))}
    for name in cat.TAGS:
        if name not in existing:
            existing[name] = Tag(household_id=scope.household_id, name=name)
            session.add(existing[name])
    session.flush()
    return {name: tag.id for name, tag in existing.items()}


def generate_ledger(
    session: DbSession, user: User, years: float = 5, target_transactions: int = 30000,
    seed: int = 42, end: date | None = None, with_rates: bool = True,
) -> GeneratedLedger:
    """Create the sample accounts and about `target_transactions` rows for `user` (flushed).

    The count is exact unless the target is smaller than the recurring rows of the period.
    The same seed and end date give the same ledger.
    """
    end = end or date.today()
    start = end - timedelta(days=round(365.25 * years))
    gen = _Gen(random.Random(seed), start, end)
    scope = member_scope(session, user)
    create_default_categories(session, scope)
    categories = {c.name: c.id for c in session.scalars(
        scoped(Category, scope).where(Category.parent_id.is_not(None))
    )}
    rates = _eur_rates(gen)
    trips = _fixed(gen)
    paydays = _paydays(gen)
    _everyday(gen, _plan_counts(gen, target_transactions, len(paydays), len(trips)), trips)
    _trip_topups(gen, trips, rates)
    _card_payments(gen)
    _income(gen, paydays)
    accounts = _create_accounts(session, scope, start)
    _insert(session, scope, gen, accounts, categories, _ensure_tags(session, scope))
    rate_count = _insert_rates(session, scope, rates) if with_rates else 0
    session.flush()
    return GeneratedLedger(
        accounts={key: a.id for key, a in accounts.items()}, transactions=len(gen.rows),
        transfers=gen.transfers, rates=rate_count, start=start, end=end, categories=categories,
    )
