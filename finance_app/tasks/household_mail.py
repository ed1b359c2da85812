"""Jobs that send household emails: invitations."""

from __future__ import annotations

from flask import current_app

from finance_app.extensions import db
from finance_app.jobs import inline_when_queue_down
from finance_app.models.household import ROLE_LABELS, Invitation
from finance_app.notifications.email import external_url, send_email
from finance_app.services.households.invitations import INVITATION_DAYS, issue_link_token


@inline_when_queue_down
def send_invitation_email(invitation_id: int, base_url: str | None = None) -> dict:
    """Email the invitation's link; only the newest emailed link works (re-running re-issues).

    `base_url`: the inviting request's host, used when APP_BASE_URL is unset (development)."""
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or not invitation.is_open:
        return {"sent": False}
    token = issue_link_token(invitation, current_app.config["SECRET_KEY"])
    db.session.commit()
    inviter = invitation.invited_by.display_name if invitation.invited_by else "Someone"
    send_email(invitation.email, f"{inviter} invited you to “{invitation.household.name}”",
               "household_invitation", invitation=invitation, inviter=inviter,
               household=invitation.household.name,
               role=ROLE_LABELS.get(invitation.role, invitation.role), days=INVITATION_DAYS,
               link=external_url("invitations.show", base_url, token=token))
    return {"sent": True}
