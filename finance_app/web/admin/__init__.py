"""Site administration: users (disable/enable) and job-queue health; site admins only."""

from flask import abort
from flask_login import current_user

from finance_app.web.blueprints import members_blueprint

bp = members_blueprint("admin", __name__, url_prefix="/admin", household_data=False)


@bp.before_request
def _require_site_admin() -> None:
    if not current_user.is_site_admin:
        abort(403, description="Only site administrators can open this page.")


from finance_app.web.admin import routes
