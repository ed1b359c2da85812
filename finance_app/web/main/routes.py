"""Routes of the main blueprint."""

from __future__ import annotations

from flask import current_app, jsonify, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from finance_app.extensions import limiter
from finance_app.services.health import check_health
from finance_app.web.main import bp


@bp.get("/")
def home() -> str | Response:
    if current_user.is_authenticated:
        if "dashboard.index" in current_app.view_functions:
            return redirect(url_for("dashboard.index"))
        return render_template("main/welcome.html")
    return render_template("main/landing.html")


@bp.get("/healthz")
@limiter.exempt
def healthz() -> tuple[Response, int]:
    report = check_health()
    # "degraded" (Redis unreachable) still serves pages: only a failing database takes the
    # instance out of rotation.
    return jsonify(report), 503 if report["status"] == "error" else 200
