"""Site administration: `flask users make-admin`, the users and queues page for admins only,
disabling a user (sessions end, sign-in refused), and no household data on the page."""

from __future__ import annotations

from sqlalchemy import select

from finance_app.extensions import db
from finance_app.models.user import User
from tests.factories import make_account, make_txn, make_user


def test_make_admin_command_prints_one_line_and_refuses_unknown_emails(app, ctx):
    make_user("root@example.com")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "make-admin", "root@example.com"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "root@example.com is a site administrator"
    db.session.expire_all()
    assert db.session.scalar(select(User.is_site_admin).where(
        User.email == "root@example.com")) is True
    missing = runner.invoke(args=["users", "make-admin", "nobody@example.com"])
    assert missing.exit_code != 0 and "No user with the email" in missing.output


def test_admin_page_is_for_site_admins_only(app, auth, client, user_id):
    response = client.get("/admin/")
    assert response.status_code == 403
    assert "Only site administrators" in response.get_data(as_text=True)
    with app.app_context():
        db.session.get(User, user_id).is_site_admin = True
        db.session.commit()
    page = client.get("/admin/")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "alice@example.com" in body and "Job queues" in body and "in-process" in body


def test_admin_sees_no_household_money(app, auth, client, user_id):
    with app.app_context():
        other = make_user("bob@example.com", name="Bob")
        make_txn(make_account(other, "Bob's bank"), "-777.77", merchant="Very private shop")
        db.session.get(User, user_id).is_site_admin = True
        db.session.commit()
    body = client.get("/admin/").get_data(as_text=True)
    assert "bob@example.com" in body
    assert "Very private shop" not in body and "777.77" not in body and "Bob's bank" not in body


def test_disabling_a_user_ends_their_sessions_and_blocks_sign_in(app, auth, client, user_id):
    with app.app_context():
        db.session.get(User, user_id).is_site_admin = True
        db.session.commit()
    other_client = app.test_client()
    auth.create("bob@example.com")
    assert other_client.post_form("/auth/login", {"email": "bob@example.com",
                                                  "password": "correct horse battery staple 42"}
                                  ).status_code == 303
    assert other_client.get("/dashboard/").status_code == 200
    with app.app_context():
        bob_id = db.session.scalar(select(User.id).where(User.email == "bob@example.com"))
    response = client.post_form(f"/admin/users/{bob_id}/disable", {}, page="/admin/")
    assert response.status_code == 303
    assert other_client.get("/dashboard/").status_code == 302  # signed out
    again = other_client.post_form("/auth/login", {"email": "bob@example.com",
                                                   "password": "correct horse battery staple 42"})
    assert again.status_code == 200 and "disabled" in again.get_data(as_text=True)
    # An admin cannot disable themselves; enabling restores sign-in.
    client.post_form(f"/admin/users/{user_id}/disable", {}, page="/admin/")
    assert client.get("/admin/").status_code == 200
    client.post_form(f"/admin/users/{bob_id}/enable", {}, page="/admin/")
    assert other_client.post_form("/auth/login", {
        "email": "bob@example.com", "password": "correct horse battery staple 42"}
    ).status_code == 303


def test_queue_health_counts_rq_queues(app, make_app, redis_url, ctx):
    from redis import Redis
    from rq import Queue

    from finance_app.services.households.admin import queue_health

    connection = Redis.from_url(redis_url)
    Queue("default", connection=connection).enqueue("finance_app.jobs.run_job", "nope")
    health = {q.name: q for q in queue_health(db.session, connection)}
    assert health["default"].queued == 1 and health["default"].workers == 0
    connection.close()
