"""New transactions posted: one summary per member and run ("14 new transactions, 3 need
review"), never one per row. A summary covers the rows dated in the last week that arrived
since the member's last one (its `through_id` is the cursor), so a second run finds nothing
new. Its webhook event is "new expense": the run's new outflows in one delivery."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from finance_app.db import DbSession
from finance_app.models.ledger import Account, Transaction
from finance_app.models.recurring import NEW_EXPENSE, NEW_TRANSACTIONS, AlertSend
from finance_app.services.alerts.base import LOOKBACK_DAYS, Alert, amount_text
from finance_app.services.categorization.review import count_review
from finance_app.services.scope import Scope, scope_filter

# A webhook lists this many expenses at most (the count says how many there were).
MAX_LISTED = 100


def _cursor(session: DbSession, scope: Scope) -> int | None:
    return session.scalar(select(func.max(AlertSend.through_id)).where(
        AlertSend.user_id == scope.member_id, AlertSend.household_id == scope.household_id,
        AlertSend.kind == NEW_TRANSACTIONS))


def summary_title(count: int, review: int) -> str:
    title = f"{count} new transaction{'s' if count != 1 else ''}"
    return f"{title}, {review} need{'s' if review == 1 else ''} review" if review else title


def list_digest(session: DbSession, scope: Scope, today: date) -> list[Alert]:
    if scope.member_id is None:
        return []
    cursor = _cursor(session, scope)
    rows = session.execute(
        select(Transaction.id, Transaction.date, Transaction.amount, Transaction.merchant,
               Transaction.raw_description, Transaction.account_id,
               Transaction.transfer_peer_id, Account.currency)
        .join(Account, Account.id == Transaction.account_id)
        .where(scope_filter(Transaction, scope),
               Transaction.date >= today - timedelta(days=LOOKBACK_DAYS),
               *([Transaction.id > cursor] if cursor is not None else []))
        .order_by(Transaction.id)).all()
    if not rows:
        return []
    ids = [row.id for row in rows]
    review = count_review(session, scope, ids)
    expenses = [{"id": r.id, "date": r.date.isoformat(),
                 "amount": amount_text(r.amount, r.currency), "currency": r.currency,
                 "description": r.merchant or r.raw_description, "account_id": r.account_id}
                for r in rows if r.amount < 0 and r.transfer_peer_id is None]
    accounts = len({row.account_id for row in rows})
    first, last = min(r.date for r in rows), max(r.date for r in rows)
    span = f"{first:%b %d}" if first == last else f"{first:%b %d} to {last:%b %d}"
    body = (f"In {accounts} account{'s' if accounts != 1 else ''}, dated {span}"
            f"{f'; {review} wait on the Review page' if review else ''}.")
    return [Alert(NEW_TRANSACTIONS, f"{NEW_TRANSACTIONS}:{ids[-1]}",
                  summary_title(len(rows), review), body,
                  link="/review/" if review else "/transactions/",
                  event=NEW_EXPENSE if expenses else None,
                  payload={"count": len(expenses), "expenses": expenses[:MAX_LISTED],
                           "truncated": len(expenses) > MAX_LISTED},
                  through_id=ids[-1])]
