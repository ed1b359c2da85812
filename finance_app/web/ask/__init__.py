"""Questions in plain English: the Ask box on every signed-in page and the /ask page."""

from finance_app.web.blueprints import members_blueprint

bp = members_blueprint("ask", __name__, url_prefix="/ask", household_data=False)

from finance_app.web.ask import routes
