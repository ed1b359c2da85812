"""Redis configured but unreachable (nothing listens on its port): signing up, in and resetting a
password still work with rate limits counted in memory; an import confirmed then is left a draft
with a clear message, and any other job that cannot start answers with one clear message."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select

from finance_app.extensions import db
from finance_app.models.categorization import Rule
from finance_app.models.job import Job
from finance_app.models.ledger import ImportBatch, Transaction
from tests.conftest import free_port
from tests.factories import PASSWORD
from tests.web.test_rules import form_data, setup_rows
from tests.web.test_upload import _account, _batch_id, _mapping_fields, _upload

NOT_STARTED = "The import could not be started; try again in a moment."


@pytest.fixture()
def app_config(app_config):
    closed = f"redis://127.0.0.1:{free_port()}/0"  # a port where nothing listens
    return {**app_config, "REDIS_URL": closed, "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": closed, "LIMIT_LOGIN": "3 per minute"}


def test_sign_up_sends_the_verification_email_itself_and_logs_the_fallback(
        client, mailbox, caplog):
    caplog.set_level(logging.WARNING)
    response = client.post_form("/auth/signup", {
        "name": "Bea", "email": "bea@example.com", "password": PASSWORD, "confirm": PASSWORD,
    })
    assert response.status_code == 303
    assert mailbox.last_link("bea@example.com", "/auth/verify/")  # sent by the request itself
    logged = caplog.text
    assert "falling back to in-memory storage" in logged  # Flask-Limiter's own degradation
    assert "job queue unreachable" in logged and "running" in logged


def test_sign_in_works_and_is_still_rate_limited_in_memory(auth, client):
    auth.create()
    assert auth.login().status_code == 303
    auth.logout()
    statuses = [auth.login(password="wrong guess").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]  # the limit (3 a minute) holds, counted in memory


def test_password_reset_works_end_to_end(auth, client, mailbox):
    auth.create("reset@example.com")
    response = client.post_form("/auth/forgot", {"email": "reset@example.com"})
    assert response.status_code == 303
    path = mailbox.last_link("reset@example.com", "/auth/reset/").replace("http://localhost", "")
    new_password = "a brand new passphrase 77"
    response = client.post_form(path, {"password": new_password, "confirm": new_password},
                                page=path)
    assert response.status_code == 303
    assert auth.login("reset@example.com", new_password).status_code == 303


def test_confirming_an_import_leaves_the_draft_and_says_to_try_again(app, client, user_id):
    account = _account(app, user_id)
    batch_id = _batch_id(_upload(client, account))
    fields = _mapping_fields(client.get(f"/import/{batch_id}/preview").get_data(as_text=True))
    fields["csrf_token"] = client.csrf_token(f"/import/{batch_id}/preview")
    response = client.post(f"/import/{batch_id}/confirm", data=fields)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/import/{batch_id}/preview")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert NOT_STARTED in page
    with app.app_context():
        batch = db.session.get(ImportBatch, batch_id)
        assert (batch.status, batch.job_id) == ("draft", None)
        assert db.session.scalar(select(func.count()).select_from(Transaction)) == 0
        job = db.session.scalars(select(Job).where(Job.name == "import")).one()
        assert job.status == "failed" and job.error.startswith("enqueue failed")
    # Still a draft: its page is the preview, never "Waiting to start… 0%".
    show = client.get(f"/import/{batch_id}")
    assert show.status_code == 302 and show.headers["Location"].endswith("/preview")


def test_any_other_job_that_cannot_start_answers_with_one_clear_message(app, client, user_id):
    _, subscriptions, _, _ = setup_rows(app, user_id)
    client.post_form("/rules/new", form_data(subscriptions, save="1"), page="/rules/new")
    with app.app_context():
        rule_id = db.session.scalar(select(Rule.id))
    response = client.post_form(f"/rules/{rule_id}/apply", page="/rules/",
                                headers={"Referer": "http://localhost/rules/"})
    assert response.status_code == 303 and response.headers["Location"] == "/rules/"
    page = client.get("/rules/").get_data(as_text=True)
    assert "The work could not be started; try again in a moment." in page
    with app.app_context():
        assert db.session.scalars(select(Job)).one().status == "failed"
