"""Households: members, roles, invitations, switching, leaving and deleting; joining by link."""

from flask import Blueprint

from finance_app.web.blueprints import members_blueprint

# Members manage their membership here, viewers included (leave, switch): the service decides
# what each role may do, so this blueprint does not turn viewers' posts away wholesale.
bp = members_blueprint("households", __name__, url_prefix="/household", household_data=False)
# An invitation link opens for anyone; accepting needs a signed-in user.
invitations_bp = Blueprint("invitations", __name__, url_prefix="/join")

from finance_app.web.households import routes
