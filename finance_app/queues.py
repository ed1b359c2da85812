"""Which RQ queue each job runs on, so each kind of work gets workers of its own on a PaaS.

- interactive: a person is watching (an import's progress bar, a report or archive being built,
  the verification or invitation email they are waiting for). Never behind a night's work.
- sync: work that talks to other servers (Plaid, members' webhook URLs): network-bound,
  rate-limited, retried; it must not hold up the other queues when a bank is slow.
- background: everything no one waits for (categorizer retrains, insights, bills and anomaly
  detection, badges, goals, alerts, the weekly email, the scheduled sweeps).

A worker started without queue names serves all of them, in that order (RQ takes from the first
queue that has a job), plus `default`, where jobs queued before the split still wait.
docs/scaling.md says how to run a worker per queue.
"""

from __future__ import annotations

INTERACTIVE, SYNC, BACKGROUND = "interactive", "sync", "background"
LEGACY = "default"
ALL_QUEUES = (INTERACTIVE, SYNC, BACKGROUND, LEGACY)

# Job module -> queue; a module not listed runs on BACKGROUND.
QUEUE_OF_MODULE = {
    "finance_app.tasks.imports": INTERACTIVE,
    "finance_app.tasks.reports": INTERACTIVE,
    "finance_app.tasks.data_export": INTERACTIVE,
    "finance_app.tasks.account_mail": INTERACTIVE,
    "finance_app.tasks.household_mail": INTERACTIVE,
    "finance_app.tasks.bank_sync": SYNC,
    "finance_app.tasks.webhooks": SYNC,
}


def queue_for(path: str) -> str:
    """The queue of the job function at dotted `path` ("finance_app.tasks.imports.run_import")."""
    return QUEUE_OF_MODULE.get(path.rpartition(".")[0], BACKGROUND)
