"""Finding saving recommendations in the ledger, each with its numbers and the rows behind it.

Kinds, all read from the ledger core (complete calendar months, transfers left out):

- above_median: a category's last month at least 20 % and 25 units above its own median of the
  six months before ("Groceries +24 % vs your 6-month median");
- trending_up: a category up three months running, by at least 5 % each time and 30 units in all;
- merchant_doubled: a merchant's last three months at least twice the three before (and 50
  units more);
- fees: what fee categories (a category whose name says fee or charge) cost this year so far;
- subscription_up and subscription_overlap, from the bills feature's series (subscriptions.py):
  a price that went up in the last six months, two services doing one job.

A category running above its median also says what trimming it back would do to the nearest
savings goal and to the debt-free date (effects.py).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from statistics import median

from sqlalchemy import select

from finance_app.db import DbSession
from finance_app.models.ledger import EXPENSE, Category
from finance_app.money import ZERO, format_money, quantize
from finance_app.services.insights.effects import with_trim_effects
from finance_app.services.insights.kinds import Recommendation
from finance_app.services.insights.subscriptions import series_recommendations
from finance_app.services.ledger.cache import LedgerCache
from finance_app.services.ledger.merchants import top_merchants
from finance_app.services.ledger.periods import MONTH, DateRange, add_periods
from finance_app.services.ledger.query import LedgerQuery
from finance_app.services.ledger.spending import category_months, category_totals
from finance_app.services.ledger.summary import LedgerView
from finance_app.services.scope import Scope, scope_filter

ABOVE_MEDIAN_SHARE = Decimal("1.20")
ABOVE_MEDIAN_MIN = Decimal("25")
TREND_STEP = Decimal("1.05")
TREND_MIN = Decimal("30")
MERCHANT_FACTOR = 2
MERCHANT_MIN_BEFORE = Decimal("25")
MERCHANT_MIN_GAIN = Decimal("50")
FEE_NAME = re.compile(r"\b(fee|fees|charges?)\b", re.IGNORECASE)


def _month_name(month: date) -> str:
    return month.strftime("%B %Y")


def _percent(now: Decimal, before: Decimal) -> Decimal:
    return quantize((now / before - 1) * 100, Decimal("1"))


def _category_links(category_id: int, first: date, last: date) -> dict[str, str]:
    return {"category": str(category_id), "from": first.isoformat(), "to": last.isoformat()}


def category_recommendations(months: dict[int | None, dict[date, Decimal]],
                             names: dict[int, str], last_month: date,
                             currency: str) -> list[Recommendation]:
    """above_median and trending_up, from spending per category and month."""
    found: list[Recommendation] = []
    history = [add_periods(last_month, MONTH, -k) for k in range(6, 0, -1)]
    month_end = add_periods(last_month, MONTH, 1) - timedelta(days=1)
    for category_id, by_month in months.items():
        if category_id is None or category_id not in names:
            continue
        name = names[category_id]
        now = by_month.get(last_month, ZERO)
        usual = Decimal(median([by_month.get(m, ZERO) for m in history]))
        if usual > 0 and now >= usual * ABOVE_MEDIAN_SHARE and now - usual >= ABOVE_MEDIAN_MIN:
            extra = quantize(now - usual)
            found.append(Recommendation(
                f"above_median:{category_id}:{last_month:%Y-%m}", "above_median",
                f"{name} +{_percent(now, usual)} % vs your 6-month median",
                f"{format_money(now, currency)} in {_month_name(last_month)} against a median of "
                f"{format_money(usual, currency)} in the six months before: "
                f"{format_money(extra, currency)} more.",
                extra, int(extra), _category_links(category_id, last_month, month_end)))
        three = [by_month.get(add_periods(last_month, MONTH, -k), ZERO) for k in (2, 1, 0)]
        rising = three[1] >= three[0] * TREND_STEP and three[2] >= three[1] * TREND_STEP
        if three[0] > 0 and rising and three[2] - three[0] >= TREND_MIN:
            first = add_periods(last_month, MONTH, -2)
            rise = quantize(three[2] - three[0])
            found.append(Recommendation(
                f"trending_up:{category_id}:{last_month:%Y-%m}", "trending_up",
                f"{name} up three months running",
                " → ".join(format_money(v, currency) for v in three)
                + f" ({first:%B} to {last_month:%B %Y}): {format_money(rise, currency)} more a "
                "month than three months ago.",
                rise, int(rise), _category_links(category_id, first, month_end)))
    return found


def _names(session: DbSession, scope: Scope) -> dict[int, str]:
    return dict(session.execute(select(Category.id, Category.name).where(
        scope_filter(Category, scope), Category.kind == EXPENSE)).all())


def find_recommendations(session: DbSession, scope: Scope, base_currency: str, today: date,
                         cache: LedgerCache | None = None) -> list[Recommendation]:
    """Every recommendation the ledger supports today, best first."""
    this_month = today.replace(day=1)
    last_month = add_periods(this_month, MONTH, -1)
    last_end = this_month - timedelta(days=1)
    view = LedgerView(session, scope, base_currency, cache)
    first = add_periods(this_month, MONTH, -7)
    view.expect((first, last_end))
    names = _names(session, scope)

    def query(start: date, end: date) -> LedgerQuery:
        return LedgerQuery(scope, base_currency, today, DateRange(start, end))

    months = category_months(session, query(first, last_end), view)
    found = category_recommendations(months, names, last_month, base_currency)

    recent_start = add_periods(this_month, MONTH, -3)
    before_start = add_periods(this_month, MONTH, -6)
    recent = top_merchants(session, query(recent_start, last_end), view, limit=100).by_amount
    before = {row.name: row.spent for row in top_merchants(
        session, query(before_start, recent_start - timedelta(days=1)), view,
        limit=400).by_amount}
    for row in recent:
        earlier = before.get(row.name, ZERO)
        if earlier >= MERCHANT_MIN_BEFORE and row.spent >= MERCHANT_FACTOR * earlier \
                and row.spent - earlier >= MERCHANT_MIN_GAIN:
            gain = quantize((row.spent - earlier) / 3)
            found.append(Recommendation(
                f"merchant_doubled:{row.name.lower()[:100]}:{last_month:%Y-%m}",
                "merchant_doubled", f"{row.name}: spending doubled",
                f"{format_money(row.spent, base_currency)} from {recent_start:%B} to "
                f"{last_month:%B %Y}, against {format_money(earlier, base_currency)} in the three "
                f"months before ({format_money(gain, base_currency)} more a month).",
                gain, int(gain), {"q": row.name, "from": recent_start.isoformat(),
                                  "to": last_end.isoformat()}))

    fee_ids = [cid for cid, name in names.items() if FEE_NAME.search(name)]
    if fee_ids:
        year_start = today.replace(month=1, day=1)
        totals = category_totals(session, query(year_start, today), view)
        paid = sum((-t.amount for (kind, cid), t in totals.items()
                    if kind == EXPENSE and cid in fee_ids), ZERO)
        count = sum(t.count for (kind, cid), t in totals.items()
                    if kind == EXPENSE and cid in fee_ids)
        if paid > 0:
            paid = quantize(paid)
            args = {"from": year_start.isoformat(), "to": today.isoformat()}
            if len(fee_ids) == 1:
                args["category"] = str(fee_ids[0])
            found.append(Recommendation(
                f"fees:{today:%Y}", "fees",
                f"{format_money(paid, base_currency)} in fees this year",
                f"{count} fee{'s' if count != 1 else ''} since 1 January {today:%Y}: account "
                "fees, foreign-transaction and late fees are often the easiest money to keep.",
                # Ranked by what they cost a month, like the others.
                paid, int(paid / today.month), args))
    found.extend(series_recommendations(session, scope, today))
    found = with_trim_effects(session, scope, base_currency, today, found)
    found.sort(key=lambda r: (-r.rank, r.key))
    return found

