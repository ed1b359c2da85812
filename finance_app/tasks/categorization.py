"""Categorizer jobs: retrain households' models (debounced, swept, nightly), apply a rule to the
past. Jobs take household ids and act for the household as a whole."""

from __future__ import annotations

import logging

from finance_app.extensions import db
from finance_app.jobs import enqueue, report_progress
from finance_app.models.job import Job
from finance_app.services.categorization import learning, rules
from finance_app.services.categorization.settings import current_settings
from finance_app.services.scope import Scope, household_scope

log = logging.getLogger(__name__)


def retrain_user_model(household_id: int) -> dict:
    result = learning.retrain_user(db.session, household_scope(household_id), current_settings(),
                                   report_progress)
    db.session.commit()
    return result.as_dict()


def retrain_later(household_id: int, *, inline: bool = False) -> Job | None:
    """Enqueue a retrain unless one was enqueued in the last N minutes (the sweep catches up)."""
    if not learning.claim_retrain(db.session, household_scope(household_id), current_settings()):
        db.session.commit()
        return None
    db.session.commit()
    return enqueue(retrain_user_model, household_id, household_id=household_id,
                   name="retrain categorizer",
                   description="Learning from your categories", inline=inline)


def retrain_stale_models() -> dict:
    """Every few minutes: retrain households whose labels changed after their debounce window."""
    users = learning.list_stale_users(db.session, current_settings(), include_base_change=False)
    started = [uid for uid in users if retrain_later(uid, inline=True) is not None]
    return {"retrained": len(started)}


def retrain_all_models() -> dict:
    """Nightly: rebuild a base model trained on an older release's features, then retrain every
    user with new labels or a model trained on an older base."""
    settings = current_settings()
    if settings.model_dir:
        _, rebuilt = learning.ensure_base_model(settings, rebuild_outdated=True)
        if rebuilt:
            log.info("rebuilt the base categorizer: it was trained on older text features")
    users = learning.list_stale_users(db.session, settings, include_base_change=True)
    done = 0
    for position, uid in enumerate(users):
        try:
            learning.retrain_user(db.session, household_scope(uid), settings)
            db.session.commit()
            done += 1
        except Exception:  # one user's failure must not stop the night's work for the others
            db.session.rollback()
            log.exception("nightly retrain of household %s failed", uid)
        report_progress(100 * (position + 1) // max(len(users), 1),
                        f"{position + 1} households")
    return {"retrained": done, "stale": len(users)}


def apply_rule(household_id: int, rule_id: int) -> dict:
    result = rules.apply_rule_to_past(db.session, household_scope(household_id), rule_id,
                                      report_progress)
    db.session.commit()
    return result


def apply_rule_later(scope: Scope, rule_id: int) -> Job:
    rule = rules.get_rule(db.session, scope, rule_id)
    return enqueue(apply_rule, scope.household_id, rule.id, user_id=scope.member_id,
                   household_id=scope.household_id, name="apply rule",
                   description=f"Applying the rule “{rule.name}” to past transactions")


def retrain_after_commit() -> None:
    """After a request: enqueue (debounced) retrains for households whose labels changed in it."""
    from finance_app.services.categorization.labels import pop_committed_label_changes

    for uid in sorted(pop_committed_label_changes(db.session())):
        try:
            retrain_later(uid)
        except Exception:  # learning later is fine; failing the person's request is not
            db.session.rollback()
            log.exception("could not enqueue a retrain for household %s", uid)
