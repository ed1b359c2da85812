"""Answers to a read question, every figure from the ledger core (transfers and excluded rows
left out as on the dashboard, spending net of refunds, amounts in the base currency), with the
lines behind it and the filters of the transactions page that list them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from finance_app.db import DbSession
from finance_app.models.ledger import EXPENSE, INCOME, Category
from finance_app.money import ZERO, format_money, quantize
from finance_app.services.ask.dates import EARLIEST
from finance_app.services.ask.parser import Reading, parse_question
from finance_app.services.ask.query import (
    AVERAGE,
    BIGGEST,
    COMPARISON,
    COUNT,
    EARNED,
    LAST,
    TOP_CATEGORY,
    AskQuery,
    Subject,
)
from finance_app.services.ask.vocabulary import load_vocabulary
from finance_app.services.ledger.lines import Narrowing, lines
from finance_app.services.ledger.query import LedgerQuery
from finance_app.services.ledger.spending import UNCATEGORIZED, category_totals
from finance_app.services.ledger.summary import LedgerView
from finance_app.services.scope import Scope, scope_filter

MONEY, COUNTED, VERSUS, LISTED, UNKNOWN = "money", "count", "comparison", "list", "unknown"
LINES_SHOWN = 5
LIST_LENGTH = 10

Pairs = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Line:
    """One line behind an answer in the base currency, as the answer counts it: spending
    positive (a refund negative), or income positive."""

    transaction_id: int
    date: date
    merchant: str
    amount: Decimal


@dataclass(frozen=True)
class Figure:
    """One figure of an answer (a side of a comparison, a category of a ranking) and the
    transactions-page filters that list its transactions."""

    label: str
    amount: Decimal
    count: int
    link: Pairs


@dataclass(frozen=True)
class Answer:
    question: str
    reading: Reading
    kind: str = UNKNOWN
    currency: str = "USD"
    value: Decimal | int | None = None
    figures: tuple[Figure, ...] = ()
    lines: tuple[Line, ...] = ()
    link: Pairs = ()
    note: str = ""  # said beside the number, e.g. the date of the last time

    @property
    def interpretation(self) -> str:
        query = self.reading.query
        return query.interpretation if query else "I could not read that question."

    @property
    def headline(self) -> str:
        """The number for people: "$123.45", "4 transactions", "$10.00 vs $20.00"."""
        if self.kind == COUNTED:
            return f"{self.value} transaction{'' if self.value == 1 else 's'}"
        if self.kind == VERSUS:
            return " vs ".join(format_money(f.amount, self.currency) for f in self.figures)
        if isinstance(self.value, Decimal):
            return format_money(self.value, self.currency)
        return "No answer"

    @property
    def cli_answer(self) -> str:
        """`answer=X`: money with two decimals (positive), a count, `X vs Y`, a list as its
        first item's amount, or `answer=unknown`."""
        if self.kind == COUNTED:
            return f"answer={self.value}"
        if self.kind == VERSUS:
            return "answer=" + " vs ".join(f"{quantize(abs(f.amount)):.2f}" for f in self.figures)
        if isinstance(self.value, Decimal):
            return f"answer={quantize(abs(self.value)):.2f}"
        return "answer=unknown"


def _narrowing(subject: Subject) -> Narrowing:
    return Narrowing(category_ids=tuple(c.id for c in subject.categories),
                     merchant=subject.merchant)


def _ledger_query(scope: Scope, currency: str, today: date, subject: Subject) -> LedgerQuery:
    return LedgerQuery(scope, currency, today, subject.range,
                       tuple(a.id for a in subject.accounts), _narrowing(subject) or None)


def _link(subject: Subject, kind: str, category_id: int | None = None) -> Pairs:
    """The transactions page's filters for these lines (its `category` takes one id)."""
    pairs: list[tuple[str, str]] = []
    if subject.range.start != EARLIEST:
        pairs.append(("from", subject.range.start.isoformat()))
    pairs.append(("to", subject.range.end.isoformat()))
    if category_id is None and len(subject.categories) == 1:
        category_id = subject.categories[0].id
    if category_id is not None:
        pairs.append(("category", str(category_id)))
    elif not subject.categories:
        # A category already says income or spending; a refund in it still counts (net).
        pairs.append(("kind", "income" if kind == INCOME else "expense"))
    if subject.merchant:
        pairs.append(("q", subject.merchant))
    pairs += [("account", str(a.id)) for a in subject.accounts]
    return tuple(pairs)


def _total(session: DbSession, q: LedgerQuery, view: LedgerView, kind: str
           ) -> tuple[Decimal, int]:
    """Net amount (spending positive) and number of transactions of `kind` lines."""
    amount, count = ZERO, 0
    for (line_kind, _category), total in category_totals(session, q, view).items():
        if line_kind == kind:
            amount += total.amount
            count += total.count
    return quantize(-amount if kind == EXPENSE else amount), count


def _lines(session: DbSession, q: LedgerQuery, view: LedgerView, kind: str, *,
           biggest: bool = False, limit: int = LINES_SHOWN) -> tuple[Line, ...]:
    """The newest (or biggest) lines of `kind`, amounts counted as the answer counts them."""
    ln = lines(q.ledger, merchant=True)
    order = ([ln.c.amount.asc() if kind == EXPENSE else ln.c.amount.desc()] if biggest
             else [ln.c.date.desc(), ln.c.transaction_id.desc()])
    stmt = (select(ln.c.transaction_id, ln.c.date, ln.c.merchant, ln.c.amount, ln.c.currency)
            .where(ln.c.kind == kind).order_by(*order, ln.c.transaction_id.desc()).limit(limit))
    found = []
    for txn_id, day, merchant, amount, currency in session.execute(stmt):
        converted = view.rates.convert(amount, currency, day)
        if converted is not None:
            found.append(Line(int(txn_id), day, merchant or "(no description)",
                              quantize(-converted if kind == EXPENSE else converted)))
    return tuple(found)


def _category_names(session: DbSession, scope: Scope) -> dict[int, str]:
    return {int(i): n for i, n in session.execute(
        select(Category.id, Category.name).where(scope_filter(Category, scope)))}


def compute_answer(session: DbSession, scope: Scope, currency: str, today: date,
                   question: str, reading: Reading) -> Answer:
    """The answer to `reading` (the read `question`)."""
    query: AskQuery | None = reading.query
    if query is None:
        return Answer(question, reading, currency=currency)
    view = LedgerView(session, scope, currency)
    kind = INCOME if query.basis == EARNED else EXPENSE
    subject = query.subject
    q = _ledger_query(scope, currency, today, subject)
    link = _link(subject, kind)
    if query.measure == COMPARISON and query.versus is not None:
        sides: list[Figure] = []
        for side in (subject, query.versus):
            amount, count = _total(session, _ledger_query(scope, currency, today, side), view,
                                   kind)
            sides.append(Figure(f"{side.label}, {side.range_label}", amount, count,
                                _link(side, kind)))
        # Each side links to its own transactions; there is no one list of both.
        return Answer(question, reading, VERSUS, currency, sides[0].amount, tuple(sides))
    if query.measure == TOP_CATEGORY:
        names = _category_names(session, scope)
        spent = [(quantize(-t.amount), t.count, category_id)
                 for (line_kind, category_id), t in category_totals(session, q, view).items()
                 if line_kind == EXPENSE and t.amount < 0]
        spent.sort(key=lambda s: (-s[0], names.get(s[2] or 0, UNCATEGORIZED)))
        figures = tuple(
            Figure(names.get(category_id, UNCATEGORIZED) if category_id else UNCATEGORIZED,
                   amount, count, _link(subject, EXPENSE, category_id)
                   if category_id else (*_link(subject, EXPENSE), ("category", "uncategorized")))
            for amount, count, category_id in spent[:LIST_LENGTH])
        if not figures:
            return Answer(question, reading, LISTED, currency, None, link=link)
        return Answer(question, reading, LISTED, currency, figures[0].amount, figures,
                      link=figures[0].link, note=figures[0].label)
    if query.measure == BIGGEST:
        found = _lines(session, q, view, EXPENSE, biggest=True, limit=LIST_LENGTH)
        return Answer(question, reading, LISTED, currency, found[0].amount if found else None,
                      lines=found, link=link)
    if query.measure == LAST:
        found = _lines(session, q, view, kind, limit=LINES_SHOWN)
        note = f"on {found[0].date:%-d %b %Y} at {found[0].merchant}" if found else \
            "not in this period"
        return Answer(question, reading, MONEY, currency, found[0].amount if found else None,
                      lines=found, link=link, note=note)
    amount, count = _total(session, q, view, kind)
    shown = _lines(session, q, view, kind)
    if query.measure == COUNT:
        return Answer(question, reading, COUNTED, currency, count, lines=shown, link=link)
    if query.measure == AVERAGE:
        average = quantize(amount / count) if count else None
        note = f"over {count} transaction{'' if count == 1 else 's'}"
        return Answer(question, reading, MONEY, currency, average, lines=shown, link=link,
                      note=note)
    note = f"{count} transaction{'' if count == 1 else 's'}"
    return Answer(question, reading, MONEY, currency, amount, lines=shown, link=link, note=note)


def ask(session: DbSession, scope: Scope, currency: str, today: date, question: str) -> Answer:
    """Read `question` against the household's own names and answer it."""
    reading = parse_question(question, load_vocabulary(session, scope), today)
    return compute_answer(session, scope, currency, today, question, reading)
