"""`flask demo` is idempotent: twice gives the same account, the same password, the same data."""

from __future__ import annotations

import re
import shutil

import pytest
from sqlalchemy import func, select

from finance_app.extensions import db
from finance_app.models import Account, Transaction, User


@pytest.fixture()
def app_config(app_config, trained_model_dir, tmp_path):
    # A small pre-trained base model: the demo trains the full one only when none exists.
    model_dir = tmp_path / "models"
    shutil.copytree(trained_model_dir, model_dir)
    return {**app_config, "MODEL_DIR": str(model_dir)}


def counts(app):
    with app.app_context():
        return (
            db.session.scalar(select(func.count()).select_from(User)),
            db.session.scalar(select(func.count()).select_from(Account)),
            db.session.scalar(select(func.count()).select_from(Transaction)),
        )


def test_demo_twice_gives_the_same_result_and_a_working_login(app, auth):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    after_first = counts(app)
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0, second.output
    # Two users: the demo user and the partner sharing their household.
    assert counts(app) == after_first and after_first[0] == 2
    with app.app_context():
        emails = set(db.session.scalars(select(User.email)))
    assert emails == {"demo@example.com", "partner@example.com"}
    password = re.search(r"Password: (.+)", second.output).group(1).strip()
    assert auth.login("demo@example.com", password).status_code == 303
