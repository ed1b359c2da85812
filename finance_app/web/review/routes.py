"""Routes of the review blueprint, its navigation badge and the after-request retrain hook."""

from __future__ import annotations

from flask import Response, flash, g, request, url_for
from flask_login import current_user

from finance_app.extensions import db
from finance_app.services.categorization import review
from finance_app.services.errors import DomainError, NotFound
from finance_app.services.transactions.choices import list_choices
from finance_app.web.auth.forms import EmptyForm
from finance_app.web.htmx import is_htmx, redirect_after_post, render
from finance_app.web.review import bp
from finance_app.web.scope import current_scope
from finance_app.web.urls import safe_next_url


@bp.app_context_processor
def inject_review_count() -> dict:
    def review_count() -> int:
        # One COUNT per request, however often the template asks.
        if "review_count" not in g:
            g.review_count = (
                review.count_review(db.session, current_scope())
                if current_user.is_authenticated else 0
            )
        return int(g.review_count)

    def rule_offers() -> list:
        # Offers to turn a twice-made correction into a rule, for any page that includes
        # templates/review/_rule_offers.html (cached per request like the count).
        if "rule_offers" not in g:
            g.rule_offers = (
                review.list_rule_offers(db.session, current_scope())
                if current_user.is_authenticated else []
            )
        return list(g.rule_offers)

    return {"review_count": review_count, "rule_offers": rule_offers}


def _page() -> int:
    try:
        return max(1, int(request.values.get("page", 1)))
    except ValueError:
        return 1


def _context(**extra: object) -> dict:
    uid = current_scope()
    context = {
        "queue": review.list_review(db.session, uid, _page()),
        "choices": list_choices(db.session, uid),
        "button_form": EmptyForm(),
    }
    context.update(extra)
    return context


@bp.get("/")
def index() -> str:
    return render("review/index.html", "review_list", **_context())


def _back() -> str:
    return safe_next_url(request.values.get("next")) or url_for("review.index", page=_page())


@bp.post("/<int:txn_id>/accept")
def accept(txn_id: int) -> Response | str:
    uid = current_scope()
    if not EmptyForm().validate_on_submit():
        return redirect_after_post(_back())
    try:
        review.accept(db.session, uid, txn_id, request.form.get("category_id", ""))
    except NotFound:
        raise
    except DomainError as exc:
        flash(exc.message, "danger")
        return redirect_after_post(_back())
    db.session.commit()
    if is_htmx():
        g.pop("review_count", None)
        g.pop("rule_offers", None)
        return render("review/_accepted.html", None)
    flash("Category saved.", "success")
    return redirect_after_post(_back())


@bp.post("/accept-selected")
def accept_selected() -> Response:
    uid = current_scope()
    if EmptyForm().validate_on_submit():
        try:
            count = review.accept_top(db.session, uid, request.form.getlist("ids"))
        except NotFound:
            raise
        except DomainError as exc:
            flash(exc.message, "warning")
        else:
            db.session.commit()
            flash(f"Accepted the top suggestion for {count} transaction"
                  f"{'s' if count != 1 else ''}.", "success")
    return redirect_after_post(_back())


@bp.post("/rule-offers/<int:memory_id>/create")
def create_rule_from_offer(memory_id: int) -> Response:
    if EmptyForm().validate_on_submit():
        rule = review.accept_rule_offer(db.session, current_scope(), memory_id)
        db.session.commit()
        flash(f"Rule “{rule.name}” created; it applies to new transactions.", "success")
    return redirect_after_post(_back())


@bp.post("/rule-offers/<int:memory_id>/dismiss")
def dismiss_rule_offer(memory_id: int) -> Response:
    if EmptyForm().validate_on_submit():
        review.dismiss_rule_offer(db.session, current_scope(), memory_id)
        db.session.commit()
    return redirect_after_post(_back())
