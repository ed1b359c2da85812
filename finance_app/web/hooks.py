"""App-wide request hooks that belong to no single blueprint, registered by the factory."""

from __future__ import annotations

import logging

from flask import Flask, Response
from sqlalchemy import select

from finance_app.extensions import db
from finance_app.models.budget import Budget
from finance_app.services.ledger.version import pop_committed_ledger_changes
from finance_app.tasks.budget_alerts import check_budget_alerts_later
from finance_app.tasks.categorization import retrain_after_commit

log = logging.getLogger(__name__)


def register(app: Flask) -> None:
    @app.after_request
    def retrain_changed_models(response: Response) -> Response:
        # Any page where a person set a category (transactions, review, bulk edits, rules)
        # committed labels; their households' models retrain shortly after (debounced job).
        retrain_after_commit()
        return response

    @app.after_request
    def check_alerts_after_writes(response: Response) -> Response:
        # A committed write to a household's ledger (an edit, a bulk change, a budget) may
        # cross a budget threshold: a job checks, never the page that shows the budgets.
        for household_id in sorted(pop_committed_ledger_changes(db.session())):
            try:
                if db.session.scalar(select(Budget.id).where(
                        Budget.household_id == household_id).limit(1)) is not None:
                    check_budget_alerts_later(household_id)
            except Exception:  # alerting later is fine; failing the person's request is not
                db.session.rollback()
                log.exception("could not enqueue a budget check for household %s", household_id)
        return response
