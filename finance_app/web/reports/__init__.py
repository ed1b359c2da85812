"""Reports: the report page, its CSV/XLSX/PDF files and the `flask reports` commands."""

from finance_app.web.blueprints import members_blueprint

bp = members_blueprint("reports", __name__, url_prefix="/reports")

from finance_app.web.reports import routes
